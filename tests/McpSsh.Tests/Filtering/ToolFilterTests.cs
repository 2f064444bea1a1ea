using McpSsh.Filtering;

namespace McpSsh.Tests.Filtering;

public class ToolFilterTests
{
    private static ToolFilter Filter(string[] allow, string[] deny) =>
        new([.. allow.Select(ToolGlob.Parse)], [.. deny.Select(ToolGlob.Parse)], "--allow-tools", "--deny-tools");

    [Fact]
    public void None_LetsEverythingThrough()
    {
        Assert.False(ToolFilter.None.IsActive);
        Assert.True(ToolFilter.None.Check("anything").Allowed);
    }

    [Fact]
    public void AllowList_KeepsOnlyMatches_AndSaysWhichListStoppedTheRest()
    {
        ToolFilter filter = Filter(["read_*", "list_*"], []);
        Assert.True(filter.Check("read_file").Allowed);
        Assert.True(filter.Check("list_dir").Allowed);
        ToolVerdict verdict = filter.Check("write_file");
        Assert.False(verdict.Allowed);
        Assert.Equal("it matches no --allow-tools glob (read_*, list_*)", verdict.Reason);
    }

    [Fact]
    public void DenyWins_OverAMatchingAllowGlob()
    {
        ToolFilter filter = Filter(["*"], ["*_delete", "drop?"]);
        Assert.True(filter.Check("file_read").Allowed);
        ToolVerdict verdict = filter.Check("file_delete");
        Assert.False(verdict.Allowed);
        Assert.Equal("it matches --deny-tools glob \"*_delete\"", verdict.Reason);
        Assert.Equal("it matches --deny-tools glob \"drop?\"", filter.Check("drop1").Reason);
    }

    [Fact]
    public void Describe_NamesBothLists()
    {
        Assert.Equal("--allow-tools a*,b --deny-tools c", Filter(["a*", "b"], ["c"]).Describe());
        Assert.Equal("--deny-tools c", Filter([], ["c"]).Describe());
    }
}
