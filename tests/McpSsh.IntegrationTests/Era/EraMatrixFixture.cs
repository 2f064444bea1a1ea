using System.Collections.Concurrent;
using McpSsh.IntegrationTests.Fixtures;
using McpSsh.Tests.Common;

namespace McpSsh.IntegrationTests.Era;

/// <summary>
/// Everything the era matrix reaches, started once for all its cells: a servers config with every server of the matrix for
/// `mcp-ssh gateway`; one `mcp-ssh serve` (its own config, --prefix-names) with a client key allowed in; one private
/// sshd whose client key has no forced command, so `--remote-command` picks the server. A host session through the
/// gateway or serve sees all the servers at once, so it runs once per (path, host) and each of its cells
/// reads its own server's part.
/// </summary>
public sealed class EraMatrixFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<(EraPath, EraHost, ServerEra?), Lazy<Task<Observation>>> _sessions = new();
    private GatewayConfig? _gatewayConfig;
    private GatewayConfig? _serveConfig;
    private ServeRun? _serve;
    private PrivateSshd? _sshd;
    private string _serveKey = "", _serveKnownHosts = "", _sshdKnownHosts = "";

    internal static (string Name, (string Command, string[] Args) Server)[] Backends =>
        [.. EraServer.All.Select(s => (s.Name, (s.Command, s.Args)))];

    public async Task InitializeAsync()
    {
        _gatewayConfig = GatewayConfig.Write(Backends);
        _serveConfig = GatewayConfig.Write(Backends);
        _serve = await ServeRun.StartAsync(_serveConfig, null, "--prefix-names");
        _serveKey = Tool.KeyGen(_serveConfig.Dir, "era-client", "ed25519");
        File.WriteAllText(_serve.AuthorizedClients, File.ReadAllText(_serveKey + ".pub"));
        _serveKnownHosts = Path.Combine(_serveConfig.Dir, "known_hosts");
        File.WriteAllText(_serveKnownHosts, $"[127.0.0.1]:{_serve.Port} {_serve.ServerKeyPub}\n");

        _sshd = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict");
        _sshdKnownHosts = Path.Combine(_sshd.Dir, "known_hosts");
        File.WriteAllText(_sshdKnownHosts, $"{_sshd.HostName} {_sshd.HostKeyPub("ed25519")}\n");
    }

    /// <summary>What <paramref name="host"/> saw on <paramref name="path"/>; for the client path, of <paramref name="server"/> alone.</summary>
    public Task<Observation> ObserveAsync(EraPath path, EraHost host, ServerEra server)
    {
        ServerEra? alone = path == EraPath.Client ? server : null;
        return _sessions.GetOrAdd((path, host, alone), _ => new Lazy<Task<Observation>>(() => RunAsync(path, host, alone))).Value;
    }

    /// <summary>The client's flags to reach the private sshd and run <paramref name="remoteCommand"/> there.</summary>
    public List<string> ClientArgs(string remoteCommand) => _sshd!.ClientArgs(_sshdKnownHosts, "--remote-command", remoteCommand);

    /// <summary>The echo text a cell sends to a server (unique per server, so an answer from the wrong backend shows).</summary>
    public static string EchoText(EraHost host, EraServer server) => $"{host} to {server.Name}";

    private Task<Observation> RunAsync(EraPath path, EraHost host, ServerEra? alone)
    {
        EraServer[] servers = alone is { } era ? [EraServer.Of(era)] : EraServer.All;
        var calls = servers.Select(s => (s.ToolName(path, "echo"), new Dictionary<string, object?> { [s.EchoArgument] = EchoText(host, s) })).ToList();
        List<string> args = path switch
        {
            EraPath.Gateway => ["gateway", "--servers-config", _gatewayConfig!.Path, "--prefix-names"],
            EraPath.Serve => _serve!.ClientArgs("--client-key", _serveKey, "--known-hosts", _serveKnownHosts),
            _ => _sshd!.ClientArgs(_sshdKnownHosts, "--remote-command", servers[0].CommandLine),
        };
        return EraHosts.ObserveAsync(host, TestPaths.McpSshBinary, args, calls);
    }

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        if (_sshd is not null)
        {
            await _sshd.DisposeAsync();
        }

        _gatewayConfig?.Dispose();
        _serveConfig?.Dispose();
    }
}

/// <summary>The era tests that reach servers through the matrix's sshd and serve share one of each.</summary>
[CollectionDefinition(Name)]
public sealed class EraMatrixCollection : ICollectionFixture<EraMatrixFixture>
{
    public const string Name = "era-matrix";
}
