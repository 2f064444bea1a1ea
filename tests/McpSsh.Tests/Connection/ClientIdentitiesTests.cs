using McpSsh.Ssh;
using McpSsh.Tests.Common;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Connection;

/// <summary>The keys offered, in OpenSSH's order (pubkey_prepare), with the real ssh-agent.</summary>
public class ClientIdentitiesTests
{
    private static SshConnectOptions Options(string agent, string[] files, bool identitiesOnly) => new()
    {
        Host = "127.0.0.1",
        Username = "me",
        PrivateKeyPath = files[0],
        IdentityFiles = files,
        IdentityFilesOptional = true,
        AgentPath = agent,
        IdentitiesOnly = identitiesOnly,
        KnownHostsPath = "/dev/null",
    };

    [Theory]
    [InlineData(false, "agent:k3 agent:k2 file:k1")]
    [InlineData(true, "agent:k2 file:k1")]
    public void Load_AgentKeysFirst_AFileTheAgentHoldsTakesItsPlace_IdentitiesOnlyDropsTheOthers(bool identitiesOnly, string expected)
    {
        using var dir = new TempDirectory();
        using SshAgentProcess agent = SshAgentProcess.Start();
        string k1 = Tool.KeyGen(dir.Path, "k1", "ed25519"), k2 = Tool.KeyGen(dir.Path, "k2", "ed25519"), k3 = Tool.KeyGen(dir.Path, "k3", "ed25519");
        agent.Add(k3);
        agent.Add(k2);

        ClientIdentities.Load(Options(agent.SocketPath, [k1, k2, dir.File("missing")], identitiesOnly), NullLogger.Instance, out string description);

        string[] order = description.Split(", ").Select(d => d.StartsWith("agent ", StringComparison.Ordinal)
            ? "agent:" + d[(d.IndexOf('(', StringComparison.Ordinal) + 1)..d.IndexOf(')', StringComparison.Ordinal)]
            : "file:" + Path.GetFileName(d)).ToArray();
        Assert.Equal(expected, string.Join(' ', order));
    }

    [Fact]
    public void Load_NoAgentAndNoKeyFile_SaysWhatWasTried()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshConnectException>(() => ClientIdentities.Load(Options(dir.File("no-agent.sock"), [dir.File("none")], false), NullLogger.Instance, out _));
        Assert.Equal(ConnectFailure.KeyFile, ex.Failure);
        Assert.Contains(dir.File("none"), ex.Message, StringComparison.Ordinal);
        Assert.Contains("ssh-add", ex.Message, StringComparison.Ordinal);
    }
}
