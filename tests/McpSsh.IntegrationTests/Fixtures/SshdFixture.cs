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

    /// <summary>The listening sshd's pid.</summary>
    public int Pid => _sshd!.Id;

    /// <summary>The per-connection sshd processes (one per client session): the listener's children.</summary>
    public List<int> SessionPids() => [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!))
        .Where(pid => ParentOf(pid) == Pid)];

    /// <summary>Stops the listener and every session (the server machine goes down).</summary>
    public void Stop()
    {
        _sshd!.Kill(entireProcessTree: true);
        _sshd.WaitForExit(10_000);
        _sshd.Dispose();
        _sshd = null;
    }

    /// <summary>New host keys for the next start (the server was reinstalled); known_hosts keeps the old ones.</summary>
    public void ReplaceHostKeys()
    {
        foreach (string type in new[] { "ed25519", "ecdsa", "rsa" })
        {
            File.Delete(Path.Combine(Dir, $"ssh_host_{type}_key"));
            File.Delete(Path.Combine(Dir, $"ssh_host_{type}_key.pub"));
            Tool.KeyGen(Dir, $"ssh_host_{type}_key", type);
        }
    }

    /// <summary>Starts sshd again on the same port with the same keys (the server machine comes back).</summary>
    public async Task StartAgainAsync()
    {
        if (!await StartAsync())
        {
            throw new InvalidOperationException("sshd did not start again:\n" + SshdLog);
        }
    }

    /// <summary>Every process below <paramref name="root"/> (from /proc).</summary>
    public static List<int> Descendants(int root)
    {
        var parents = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!))
            .Select(pid => (Pid: pid, Parent: ParentOf(pid))).ToList();
        var result = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out int parent))
        {
            foreach ((int pid, _) in parents.Where(p => p.Parent == parent))
            {
                result.Add(pid);
                frontier.Enqueue(pid);
            }
        }

        return result;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return -1;
        }
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
