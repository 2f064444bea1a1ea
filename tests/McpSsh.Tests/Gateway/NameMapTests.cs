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

public class NameMapSanitisingTests
{
    [Fact]
    public void NamesThatSanitiseAlike_AreMadeUnique_AndEachResolvesExactly()
    {
        var map = new NameMap(NamePolicy.Suffix);
        string dot = map.Merge("a", "get.item");
        string slash = map.Merge("b", "get/item");
        string plain = map.Merge("c", "get_item");
        Assert.Equal(["get_item", "get_item_1", "get_item_2"], new[] { dot, slash, plain });
        Assert.True(map.TryResolve(slash, out string backend, out string name));
        Assert.Equal(("b", "get/item"), (backend, name));
        Assert.False(map.TryResolve("get.item", out _, out _)); // only merged names resolve
    }

    [Fact]
    public void Prefix_ServersThatSanitiseAlike_GetDistinctNames()
    {
        var map = new NameMap(NamePolicy.Prefix);
        string first = map.Merge("my.server", "echo");
        string second = map.Merge("my server", "echo");
        Assert.Equal("my_server__echo", first);
        Assert.Equal("my_server__echo_1", second);
        Assert.True(map.TryResolve(second, out string backend, out _));
        Assert.Equal("my server", backend);
    }

    [Fact]
    public void LongClashingNames_StayWithin64_AndUnique()
    {
        var map = new NameMap(NamePolicy.Suffix);
        string name = new string('n', 90);
        var merged = Enumerable.Range(0, 12).Select(i => map.Merge($"s{i}", name)).ToList();
        Assert.Equal(merged.Count, merged.Distinct().Count());
        Assert.All(merged, m => Assert.True(MergedName.IsValid(m), m));
        Assert.Equal(MergedName.Plain(name), merged[0]);
        Assert.EndsWith("_11", merged[^1]);
    }

    [Fact]
    public void SameConfig_SameNames_AcrossSessions()
    {
        string[] servers = ["files", "日本", "a.b", new string('x', 70)];
        List<string> Session()
        {
            var map = new NameMap(NamePolicy.Prefix);
            return [.. servers.Select(s => map.Merge(s, "read." + new string('r', 60)))];
        }

        Assert.Equal(Session(), Session());
    }
}
