using McpSsh.Ssh.Agent;

namespace McpSsh.Tests.Agent;

/// <summary>Where the agent is, per OS, with injected environments (the one OS difference of the agent code).</summary>
public class AgentTransportTests
{
    [Theory]
    [InlineData("/run/user/1000/ssh-agent.sock", false, "/run/user/1000/ssh-agent.sock")]
    [InlineData(null, false, null)]
    [InlineData("", false, null)]
    [InlineData(null, true, @"\\.\pipe\openssh-ssh-agent")]
    [InlineData(@"\\.\pipe\my-agent", true, @"\\.\pipe\my-agent")]
    public void DefaultPath_SshAuthSockThenTheWindowsPipe(string? sshAuthSock, bool windows, string? expected) =>
        Assert.Equal(expected, AgentTransport.DefaultPath(name => name == "SSH_AUTH_SOCK" ? sshAuthSock : null, windows));

    [Theory]
    [InlineData(@"\\.\pipe\openssh-ssh-agent", true)]
    [InlineData("//./pipe/openssh-ssh-agent", true)]
    [InlineData("/tmp/agent.sock", false)]
    [InlineData(@"C:\Users\me\agent.sock", false)]
    public void IsNamedPipe_OnlyThePipeNamespace(string path, bool expected) => Assert.Equal(expected, AgentTransport.IsNamedPipe(path));
}
