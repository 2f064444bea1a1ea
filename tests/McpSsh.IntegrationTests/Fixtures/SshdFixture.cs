using McpSsh.Tests.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>
/// A real OpenSSH sshd on 127.0.0.1 with a random port, host keys generated for this run and a private
/// sshd_config. Which MCP server a login reaches is chosen per client key with authorized_keys
/// <c>command="..."</c>, so one sshd serves every scenario:
/// <list type="bullet">
/// <item><see cref="TestServerKey"/> (and the encrypted and RSA keys): the C# SDK test server</item>
/// <item><see cref="EverythingKey"/>: @modelcontextprotocol/server-everything</item>
/// <item><see cref="ExecKey"/>: no forced command, so --remote-command decides (exec mode)</item>
/// <item><see cref="UnauthorizedKey"/>: not in authorized_keys</item>
/// </list>
/// </summary>
public sealed class SshdFixture : IAsyncLifetime
{
    public const string EncryptedKeyPassphrase = "open sesame";

    private readonly StringBuilder _log = new();
    private Process? _sshd;

    public string Dir { get; } = Directory.CreateTempSubdirectory("mcp-ssh-sshd-").FullName;

    public int Port { get; private set; }

    public string User { get; } = Environment.UserName;

    public string HostName => $"[127.0.0.1]:{Port}";

    public string TestServerKey { get; private set; } = "";

    public string EncryptedKey { get; private set; } = "";

    public string RsaKey { get; private set; } = "";

    public string EverythingKey { get; private set; } = "";

    public string ExecKey { get; private set; } = "";

    public string UnauthorizedKey { get; private set; } = "";

    /// <summary>known_hosts with every host key of this sshd.</summary>
    public string KnownHosts => Path.Combine(Dir, "known_hosts");

    public string HostKeyPub(string type) => File.ReadAllText(Path.Combine(Dir, $"ssh_host_{type}_key.pub")).Trim();

    public string TestServerCommand => $"{TestPaths.Dotnet} {TestPaths.TestServerDll}";

    public string EverythingCommand => $"{TestPaths.Node} {TestPaths.EverythingServerJs} stdio";

    public string SshdLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        foreach (string type in new[] { "ed25519", "ecdsa", "rsa" })
        {
            Tool.KeyGen(Dir, $"ssh_host_{type}_key", type);
        }

        TestServerKey = Tool.KeyGen(Dir, "client_test_server", "ed25519");
        EncryptedKey = Tool.KeyGen(Dir, "client_encrypted", "ed25519", EncryptedKeyPassphrase);
        RsaKey = Tool.KeyGen(Dir, "client_rsa", "rsa");
        EverythingKey = Tool.KeyGen(Dir, "client_everything", "ed25519");
        ExecKey = Tool.KeyGen(Dir, "client_exec", "ed25519");
        UnauthorizedKey = Tool.KeyGen(Dir, "client_unauthorized", "ed25519");

        string Pub(string key) => File.ReadAllText(key + ".pub").Trim();
        File.WriteAllLines(Path.Combine(Dir, "authorized_keys"),
        [
            $"command=\"{TestServerCommand}\",restrict {Pub(TestServerKey)}",
            $"command=\"{TestServerCommand}\",restrict {Pub(EncryptedKey)}",
            $"command=\"{TestServerCommand}\",restrict {Pub(RsaKey)}",
            $"command=\"{EverythingCommand}\",restrict {Pub(EverythingKey)}",
            $"restrict {Pub(ExecKey)}",
        ]);

        if (Environment.UserName == "root")
        {
            Directory.CreateDirectory("/run/sshd"); // privilege separation directory sshd insists on
        }

        // A port that was free a moment ago may be taken by the time sshd binds it: try a few.
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort();
            WriteConfig();
            if (await StartAsync())
            {
                break;
            }

            if (attempt == 5)
            {
                throw new InvalidOperationException("sshd did not start:\n" + SshdLog);
            }
        }

        File.WriteAllLines(KnownHosts, new[] { "ed25519", "ecdsa", "rsa" }.Select(t => $"{HostName} {string.Join(' ', HostKeyPub(t).Split(' ')[..2])}"));
    }

    public Task DisposeAsync()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill(entireProcessTree: true);
            _sshd.WaitForExit(10_000);
        }

        _sshd?.Dispose();
        Directory.Delete(Dir, recursive: true);
        return Task.CompletedTask;
    }

    private void WriteConfig()
    {
        string config = $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {Dir}/ssh_host_ed25519_key
            HostKey {Dir}/ssh_host_ecdsa_key
            HostKey {Dir}/ssh_host_rsa_key
            PidFile {Dir}/sshd.pid
            AuthorizedKeysFile {Dir}/authorized_keys
            AllowUsers {User}
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PermitRootLogin prohibit-password
            StrictModes no
            PermitTTY no
            X11Forwarding no
            AllowTcpForwarding no
            AllowAgentForwarding no
            PermitUserEnvironment no
            MaxStartups 200
            MaxSessions 50
            LogLevel VERBOSE
            """;
        File.WriteAllText(Path.Combine(Dir, "sshd_config"), config + "\n");
    }

    /// <summary>Starts sshd and waits for its own "Server listening" line (or its exit).</summary>
    private async Task<bool> StartAsync()
    {
        var listening = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo(TestPaths.Sshd) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-D", "-e", "-f", Path.Combine(Dir, "sshd_config") })
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetResult(false);
                return;
            }

            lock (_log)
            {
                _log.AppendLine(e.Data);
            }

            if (e.Data.Contains("Server listening on 127.0.0.1 port", StringComparison.Ordinal))
            {
                listening.TrySetResult(true);
            }
        };
        process.Exited += (_, _) => listening.TrySetResult(false);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        bool ok = await listening.Task.WaitAsync(TimeSpan.FromSeconds(20));
        if (ok)
        {
            _sshd = process;
        }
        else
        {
            process.Dispose();
        }

        return ok;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class SshdCollection : ICollectionFixture<SshdFixture>
{
    public const string Name = "sshd";
}
