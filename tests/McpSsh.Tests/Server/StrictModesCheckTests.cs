using McpSsh.Server.Sshd;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.Server;

/// <summary>Issue 11 defect 7f: serve refuses what sshd's StrictModes would refuse (OpenSSH safe_path), and only that.</summary>
public class StrictModesCheckTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public void PrivateDirectories_UpToHome_AreFine()
    {
        using var dir = new TempDirectory(); // below /tmp, but the walk stops at "home"
        string state = Directory.CreateDirectory(dir.File("state")).FullName;
        File.SetUnixFileMode(state, Private);
        File.WriteAllText(Path.Combine(state, "registered_keys"), "");
        File.SetUnixFileMode(Path.Combine(state, "registered_keys"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(StrictModesCheck.Problem([Path.Combine(state, "registered_keys"), Path.Combine(state, "not-yet")], dir.Path));
    }

    [Fact]
    public void WorldWritableAncestor_IsNamed_WithTheFix()
    {
        using var dir = new TempDirectory();
        string open = Directory.CreateDirectory(dir.File("open")).FullName;
        File.SetUnixFileMode(open, Private | UnixFileMode.OtherWrite | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string state = Directory.CreateDirectory(Path.Combine(open, "state")).FullName;
        File.SetUnixFileMode(state, Private);

        string? problem = StrictModesCheck.Problem([Path.Combine(state, "registered_keys")], dir.Path);
        Assert.NotNull(problem);
        Assert.Contains($"{open} is group- or world-writable (mode 0707)", problem);
        Assert.Contains("--state-dir", problem);
        Assert.Contains("StrictModes=no", problem);
    }

    [Fact]
    public void GroupWritableKeysFile_IsNamed_WithChmod()
    {
        using var dir = new TempDirectory();
        string keys = dir.File("authorized_keys");
        File.WriteAllText(keys, "");
        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);

        Assert.Contains($"chmod go-w {keys}", StrictModesCheck.Problem([keys], dir.Path));
    }

    [Fact]
    public void BelowTmp_WithoutAHomeOnTheWay_IsRefused()
    {
        // /tmp itself (not TMPDIR, which may be private): drwxrwxrwt, the sticky bit does not help.
        string state = Path.Combine("/tmp", "mcp-ssh-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state, Private);
        try
        {
            Assert.Contains("/tmp is group- or world-writable", StrictModesCheck.Problem([Path.Combine(state, "registered_keys")], "/nonexistent-home"));
        }
        finally
        {
            Directory.Delete(state);
        }
    }

    [Theory]
    [InlineData("StrictModes", "no", true)]
    [InlineData("strictmodes", "No", true)]
    [InlineData("StrictModes", "yes", false)]
    public void StrictModesNo_TurnsTheCheckOff(string key, string value, bool off)
    {
        Assert.Equal(off, StrictModesCheck.IsOff([(key, value)]));
    }
}
