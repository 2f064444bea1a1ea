using McpSsh.Platform;
using Xunit;

namespace McpSsh.Tests.Platform;

public class HostEnvironmentTests
{
    [Fact]
    public void Windows_UsesUserProfileAndBackslashes()
    {
        HostEnvironment env = HostEnvironment.For(OsFamily.Windows, new Dictionary<string, string> { ["USERPROFILE"] = @"C:\Users\ann", ["HOME"] = "/ignored" });

        Assert.Equal(@"C:\Users\ann", env.Home);
        Assert.Equal(@"C:\Users\ann\.ssh", env.SshDirectory);
        Assert.Equal(@"C:\Users\ann\.ssh\known_hosts", env.Join(env.SshDirectory, "known_hosts"));
    }

    [Fact]
    public void MacOS_UsesHomeAndSlashes_EmptyVariablesCountAsUnset()
    {
        HostEnvironment env = HostEnvironment.For(OsFamily.MacOS, new Dictionary<string, string> { ["HOME"] = "/Users/ann/", ["XDG_CONFIG_HOME"] = "" });

        Assert.Equal("/Users/ann/.ssh", env.SshDirectory);
        Assert.Null(env.Get("XDG_CONFIG_HOME"));
        Assert.Null(env.Get("APPDATA"));
    }

    [Fact]
    public void MissingHome_IsAnError()
    {
        Assert.Throws<ArgumentException>(() => HostEnvironment.For(OsFamily.Linux, new Dictionary<string, string>()));
    }
}
