using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public class NameMapTests
{
    [Fact]
    public void Suffix_FirstKeepsTheName_LaterOnesCountUp()
    {
        var map = new NameMap(NamePolicy.Suffix);
        Assert.Equal("echo", map.Merge("a", "echo"));
        Assert.Equal("echo_1", map.Merge("b", "echo"));
        Assert.Equal("echo_2", map.Merge("c", "echo"));
        Assert.Equal("add", map.Merge("b", "add"));
    }

    [Fact]
    public void Suffix_SkipsANameABackendAlreadyUses()
    {
        var map = new NameMap(NamePolicy.Suffix);
        Assert.Equal("echo_1", map.Merge("a", "echo_1"));
        Assert.Equal("echo", map.Merge("a", "echo"));
        Assert.Equal("echo_2", map.Merge("b", "echo"));
    }

    [Fact]
    public void Mappings_AreStableAndResolveBack()
    {
        var map = new NameMap(NamePolicy.Suffix);
        map.Merge("a", "echo");
        map.Merge("b", "echo");

        // Seen again (a later list, a restarted backend): same names, in whatever order.
        Assert.Equal("echo_1", map.Merge("b", "echo"));
        Assert.Equal("echo", map.Merge("a", "echo"));

        Assert.True(map.TryResolve("echo_1", out string backend, out string name));
        Assert.Equal(("b", "echo"), (backend, name));
        Assert.True(map.TryResolve("echo", out backend, out name));
        Assert.Equal(("a", "echo"), (backend, name));
        Assert.False(map.TryResolve("echo_2", out _, out _));
    }

    [Fact]
    public void Prefix_NamesEveryItemByItsServer()
    {
        var map = new NameMap(NamePolicy.Prefix);
        Assert.Equal("a__echo", map.Merge("a", "echo"));
        Assert.Equal("b__echo", map.Merge("b", "echo"));
        Assert.True(map.TryResolve("b__echo", out string backend, out string name));
        Assert.Equal(("b", "echo"), (backend, name));
        Assert.False(map.TryResolve("echo", out _, out _));
    }
}
