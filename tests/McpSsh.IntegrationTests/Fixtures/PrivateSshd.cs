using System.Diagnostics;
using System.Globalization;
using System.Text;
using McpSsh.Tests.Common;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>
/// One more OpenSSH sshd on 127.0.0.1 for a single test, configured unlike the shared <see cref="SshdFixture"/>:
/// only the host key types given (an impostor with just an ECDSA key) and extra sshd_config lines
/// (<c>MaxStartups 1</c>). <see cref="ClientKey"/> logs in to the C# SDK test server. Stopped by PID on dispose.
/// </summary>
internal sealed class PrivateSshd : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];
    private Process? _sshd;
    private string _keyOptions = "";
    private Func<string, IEnumerable<string>> _prepare = _ => [];

    private PrivateSshd()
    {
    }

    public string Dir { get; } = Directory.CreateTempSubdirectory("mcp-ssh-private-sshd-").FullName;

    public int Port { get; private set; }

    public string HostName => $"[127.0.0.1]:{Port}";

    public string ClientKey { get; private set; } = "";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public string HostKeyPub(string type) => string.Join(' ', File.ReadAllText(Path.Combine(Dir, $"ssh_host_{type}_key.pub")).Split(' ')[..2]);

    /// <summary>The flags of a client that logs in to this sshd with <see cref="ClientKey"/> and <paramref name="knownHosts"/>.</summary>
    public List<string> ClientArgs(string knownHosts, params string[] extra) =>
    [
        "--host", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--username", Environment.UserName,
        "--client-key", ClientKey, "--known-hosts", knownHosts, "--no-ssh-config", .. extra,
    ];

    public static Task<PrivateSshd> StartAsync(string[] hostKeyTypes, params string[] extraConfig) =>
        StartWithKeyOptionsAsync(hostKeyTypes, $"command=\"{TestPaths.Dotnet} {TestPaths.TestServerDll}\",restrict", extraConfig);

    /// <summary>
    /// <paramref name="keyOptions"/> are the authorized_keys options of <see cref="ClientKey"/>: a jump host gets
    /// <c>restrict,port-forwarding</c> (forwarding only, no shell) where the default forces the test server.
    /// </summary>
    public static Task<PrivateSshd> StartWithKeyOptionsAsync(string[] hostKeyTypes, string keyOptions, params string[] extraConfig) =>
        StartPreparedAsync(hostKeyTypes, keyOptions, _ => extraConfig);

    /// <summary>
    /// <paramref name="prepare"/> runs once the host keys exist and before sshd starts (to certify them, say); it is
    /// given the directory and returns the extra sshd_config lines.
    /// </summary>
    public static async Task<PrivateSshd> StartPreparedAsync(string[] hostKeyTypes, string keyOptions, Func<string, IEnumerable<string>> prepare)
    {
        var sshd = new PrivateSshd { _keyOptions = keyOptions, _prepare = prepare };
        try
        {
            await sshd.InitializeAsync(hostKeyTypes);
            return sshd;
        }
        catch
        {
            await sshd.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when sshd has logged a line containing <paramref name="text"/> (now or later).</summary>
    public Task WaitForLogAsync(string text)
    {
        lock (_log)
        {
            if (_log.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((text, seen));
            return seen.Task.WaitAsync(McpSshRun.Timeout);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill(entireProcessTree: true);
            _sshd.WaitForExit(10_000);
        }

        _sshd?.Dispose();
        Directory.Delete(Dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task InitializeAsync(string[] hostKeyTypes)
    {
        foreach (string type in hostKeyTypes)
        {
            Tool.KeyGen(Dir, $"ssh_host_{type}_key", type);
        }

        ClientKey = Tool.KeyGen(Dir, "client", "ed25519");
        File.WriteAllText(Path.Combine(Dir, "authorized_keys"), $"{_keyOptions} {File.ReadAllText(ClientKey + ".pub").Trim()}\n");
        if (Environment.UserName == "root")
        {
            Directory.CreateDirectory("/run/sshd");
        }

        string[] extraConfig = [.. _prepare(Dir)];

        // A port that was free a moment ago may be taken by the time sshd binds it: try a few.
        for (int attempt = 1; ; attempt++)
        {
            Port = SshdFixture.FreePort();
            WriteConfig(hostKeyTypes, extraConfig);
            if (await StartOnceAsync())
            {
                return;
            }

            if (attempt == 5)
            {
                throw new InvalidOperationException("private sshd did not start:\n" + Log);
            }
        }
    }

    private void WriteConfig(string[] hostKeyTypes, string[] extraConfig)
    {
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"Port {Port}");
        config.AppendLine("ListenAddress 127.0.0.1");
        foreach (string type in hostKeyTypes)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"HostKey {Dir}/ssh_host_{type}_key");
        }

        foreach (string line in extraConfig)
        {
            config.AppendLine(line);
        }

        config.Append(CultureInfo.InvariantCulture, $"""
            PidFile {Dir}/sshd.pid
            AuthorizedKeysFile {Dir}/authorized_keys
            AllowUsers {Environment.UserName}
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PermitRootLogin prohibit-password
            StrictModes no
            PermitTTY no
            LogLevel VERBOSE

            """);
        File.WriteAllText(Path.Combine(Dir, "sshd_config"), config.ToString());
    }

    private async Task<bool> StartOnceAsync()
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
                foreach ((string text, TaskCompletionSource seen) in _waits.Where(w => e.Data.Contains(w.Text, StringComparison.Ordinal)))
                {
                    seen.TrySetResult();
                }
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

        if (await listening.Task.WaitAsync(TimeSpan.FromSeconds(20)))
        {
            _sshd = process;
            return true;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
        return false;
    }
}
