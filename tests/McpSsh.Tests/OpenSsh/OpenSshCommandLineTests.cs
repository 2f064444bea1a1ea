using McpSsh.Ssh;
using McpSsh.Ssh.OpenSsh;

namespace McpSsh.Tests.OpenSsh;

public class OpenSshCommandLineTests
{
    [Fact]
    public void Build_OnlyTheDestination_LeavesEverythingElseToSshConfig()
    {
        IReadOnlyList<string> args = OpenSshCommandLine.Build(new OpenSshOptions { Command = "ssh", Destination = "build" });

        Assert.Equal(
            ["-T", "-e", "none", "-o", "BatchMode=yes", "-o", "LogLevel=DEBUG1", "-o", "ClearAllForwardings=yes", "-o", "ForwardAgent=no",
             "-o", "ForwardX11=no", "-o", "PermitLocalCommand=no", "-o", "ConnectTimeout=15", "--", "build"],
            args);
    }

    [Fact]
    public void Build_ExplicitValues_BecomeOptionsAndTheRemoteCommandComesLast()
    {
        IReadOnlyList<string> args = OpenSshCommandLine.Build(new OpenSshOptions
        {
            Command = "/usr/bin/ssh",
            Destination = "-oProxyCommand=evil",
            Port = 2222,
            User = "deploy",
            IdentityFile = "/keys/id ed25519",
            KnownHostsFile = "/tmp/known \"hosts\"",
            StrictHostKeyChecking = "accept-new",
            ConfigFile = "none",
            JumpHosts = "bastion",
            ConnectTimeout = TimeSpan.FromSeconds(2.5),
            RemoteCommand = "npx -y server",
        });

        Assert.Equal(
            ["-T", "-e", "none", "-o", "BatchMode=yes", "-o", "LogLevel=DEBUG1", "-o", "ClearAllForwardings=yes", "-o", "ForwardAgent=no",
             "-o", "ForwardX11=no", "-o", "PermitLocalCommand=no", "-o", "ConnectTimeout=3", "-F", "none", "-p", "2222", "-l", "deploy",
             "-i", "/keys/id ed25519", "-o", "UserKnownHostsFile=\"/tmp/known \\\"hosts\\\"\"", "-o", "StrictHostKeyChecking=accept-new",
             "-J", "bastion", "--", "-oProxyCommand=evil", "npx -y server"],
            args);
    }

    [Fact]
    public void Explain_RealOpenSshMessages_MapToOurFailures()
    {
        var o = new OpenSshOptions { Command = "ssh", Destination = "build", Port = 2222 };
        Assert.Equal(ConnectFailure.Unreachable, OpenSshErrors.Explain(["ssh: connect to host 127.0.0.1 port 1: Connection refused"], 255, o).Failure);
        Assert.Equal(ConnectFailure.Unreachable, OpenSshErrors.Explain(["ssh: Could not resolve hostname nowhere: Name or service not known"], 255, o).Failure);
        Assert.Equal(ConnectFailure.Timeout, OpenSshErrors.Explain(["ssh: connect to host 192.0.2.1 port 22: Connection timed out"], 255, o).Failure);
        Assert.Equal(ConnectFailure.Authentication, OpenSshErrors.Explain(["debug1: Next authentication method: publickey", "mcp@127.0.0.1: Permission denied (publickey)."], 255, o).Failure);
        SshConnectException unknown = OpenSshErrors.Explain(["No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.", "Host key verification failed."], 255, o);
        Assert.Equal(ConnectFailure.HostKey, unknown.Failure);
        Assert.Contains("--accept-new", unknown.Message, StringComparison.Ordinal);
        SshConnectException changed = OpenSshErrors.Explain(["@@@@@@@@@@@", "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @", "Host key verification failed."], 255, o);
        Assert.Equal(ConnectFailure.HostKey, changed.Failure);
        Assert.DoesNotContain("--accept-new", changed.Message, StringComparison.Ordinal);
        Assert.Contains("CHANGED", changed.Message, StringComparison.Ordinal);
        Assert.StartsWith("ssh (ssh) to build:2222", changed.Message, StringComparison.Ordinal);
    }
}
