using McpSsh.Cli.Commands;
using Xunit;

namespace McpSsh.Tests.Cli;

public class VersionOutputTests
{
    [Fact]
    public void Format_SplitsTheCommitOffTheInformationalVersion()
    {
        Assert.Equal("mcp-ssh 0.2.0 (commit 1a2b3c4d5e6f, linux-arm64)", VersionOutput.Format("0.2.0+1a2b3c4d5e6f7a8b9c0d", "linux-arm64"));
    }

    [Fact]
    public void Format_WithoutGit_SaysTheCommitIsUnknown()
    {
        Assert.Equal("mcp-ssh 0.0.0-dev (commit unknown, win-x64)", VersionOutput.Format("0.0.0-dev", "win-x64"));
        Assert.Equal("mcp-ssh 0.0.0-dev (commit unknown, osx-arm64)", VersionOutput.Format(null, "osx-arm64"));
    }

    [Fact]
    public void Text_IsThisBuildsVersionCommitAndRuntime()
    {
        Assert.Matches(@"^mcp-ssh \S+ \(commit ([0-9a-f]{12}|unknown), [a-z]+-[a-z0-9]+\)$", VersionOutput.Text);
        Assert.EndsWith($", {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})", VersionOutput.Text);
    }
}
