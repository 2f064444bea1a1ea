using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using McpSsh.Tests.Common;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>
/// `mcp-ssh serve` started for one test: its own ports on 127.0.0.1, state directory, host key and HOME inside
/// the servers config's temp directory, so nothing outside it is touched. Clients get <see cref="ClientEnvironment"/>
/// (their own HOME: generated keys and pinned host keys land there).
/// </summary>
internal sealed class ServeRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<bool> _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeRun(GatewayConfig config, Process process, int port, int keyServerPort, string? stateDir = null)
    {
        Config = config;
        StateDir = stateDir ?? Path.Combine(config.Dir, "state");
        _process = process;
        Port = port;
        KeyServerPort = keyServerPort;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _serving.TrySetResult(false);
                _stderrDone.TrySetResult();
                return;
            }

            _stderr.Enqueue(e.Data);
            if (e.Data.Contains("serve: Serving ", StringComparison.Ordinal))
            {
                _serving.TrySetResult(true);
            }
        };
        _process.BeginErrorReadLine();
    }

    public GatewayConfig Config { get; }

    public int Port { get; }

    public int KeyServerPort { get; }

    public int Pid => _process.Id;

    public string StateDir { get; }

    public string RegisteredKeys => Path.Combine(StateDir, "registered_keys");

    public string ServerKeyPub => File.ReadAllText(Path.Combine(Config.Dir, "server_key.pub")).Trim();

    public string AuthorizedClients => Path.Combine(Config.Dir, "authorized_clients");

    public string ClientHome => Path.Combine(Config.Dir, "client-home");

    public string KeyServerUrl => $"http://127.0.0.1:{KeyServerPort}";

    public IDictionary<string, string> ClientEnvironment => new Dictionary<string, string> { ["HOME"] = ClientHome };

    public string Stderr => string.Join('\n', _stderr);

    /// <summary>Starts serve and waits for its "Serving" line; <paramref name="extra"/> are more flags (e.g. --run-key-server).</summary>
    public static async Task<ServeRun> StartAsync(GatewayConfig config, IDictionary<string, string>? environment = null, params string[] extra)
    {
        Directory.CreateDirectory(Path.Combine(config.Dir, "client-home"));
        for (int attempt = 1; ; attempt++)
        {
            ServeRun run = Launch(config, environment, extra);
            if (await run._serving.Task.WaitAsync(McpSshRun.Timeout))
            {
                return run;
            }

            int exitCode = await run.WaitForExitAsync();
            // A port that was free a moment ago can be taken by the time sshd binds it: try again with others.
            if (attempt == 3 || !run.Stderr.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"serve exited with {exitCode} before serving:\n{run.Stderr}");
            }
        }
    }

    /// <summary>Starts serve without waiting for it to serve (for start-up failures).</summary>
    public static ServeRun Launch(GatewayConfig config, IDictionary<string, string>? environment, params string[] extra) =>
        Launch(config, environment, new ServeLaunch(), extra);

    /// <summary>Starts serve with a chosen state directory, StrictModes left on, or under a wrapper (e.g. a pseudo-terminal).</summary>
    public static ServeRun Launch(GatewayConfig config, IDictionary<string, string>? environment, ServeLaunch launch, params string[] extra)
    {
        string stateDir = launch.StateDir ?? Path.Combine(config.Dir, "state");
        int port = SshdFixture.FreePort(), keyServerPort = SshdFixture.FreePort();
        var start = new ProcessStartInfo(TestPaths.McpSshBinary) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        string[] args =
        [
            "serve", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--key-server-port", keyServerPort.ToString(CultureInfo.InvariantCulture),
            "--state-dir", stateDir, "--server-key", Path.Combine(config.Dir, "server_key"),
            "--servers-config", config.Path, "--authorized-clients", Path.Combine(config.Dir, "authorized_clients"),
            // The temp directory sits in /tmp (world-writable), which sshd's StrictModes would refuse.
            .. (launch.StrictModesOff ? new[] { "--sshd-option", "StrictModes=no" } : []), .. extra,
        ];
        if (launch.Wrapper is not null)
        {
            start.FileName = launch.Wrapper.Value.Command;
            args = [.. launch.Wrapper.Value.Args(TestPaths.McpSshBinary, args)];
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = Path.Combine(config.Dir, "serve-home");
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new ServeRun(config, Process.Start(start)!, port, keyServerPort, stateDir);
    }

    /// <summary>Starts serve (as <see cref="Launch(GatewayConfig, IDictionary{string, string}?, ServeLaunch, string[])"/>) and waits for its "Serving" line.</summary>
    public static async Task<ServeRun> StartAsync(GatewayConfig config, IDictionary<string, string>? environment, ServeLaunch launch, params string[] extra)
    {
        ServeRun run = Launch(config, environment, launch, extra);
        if (await run._serving.Task.WaitAsync(McpSshRun.Timeout))
        {
            return run;
        }

        int exitCode = await run.WaitForExitAsync();
        throw new InvalidOperationException($"serve exited with {exitCode} before serving:\n{run.Stderr}");
    }

    /// <summary>Completes when serve's log has a line containing <paramref name="text"/>; false after the deadline.</summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data?.Contains(text, StringComparison.Ordinal) == true)
            {
                seen.TrySetResult();
            }
        }

        _process.ErrorDataReceived += Check;
        try
        {
            if (_stderr.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            await seen.Task.WaitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            _process.ErrorDataReceived -= Check;
        }
    }

    /// <summary>The flags of a client that reaches this serve as the current user.</summary>
    public List<string> ClientArgs(params string[] extra) =>
        ["--host", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--username", Environment.UserName, "--no-ssh-config", .. extra];

    public List<string> KeyServerClientArgs(params string[] extra) =>
        ClientArgs(["--use-key-server", "--key-server-port", KeyServerPort.ToString(CultureInfo.InvariantCulture), .. extra]);

    /// <summary>SIGKILL serve and everything below it (a test that found it stuck); no-op once it exited.</summary>
    public void KillTree()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public void Terminate() => Tool.Run("kill", "-TERM", Pid.ToString(CultureInfo.InvariantCulture));

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
        await _stderrDone.Task.WaitAsync(McpSshRun.Timeout);
        return _process.ExitCode;
    }

    /// <summary>
    /// Processes this serve left running: any whose command line names this test's directory (the sshd listener,
    /// the gateways) or whose environment holds the config's marker (the MCP servers), other than serve itself.
    /// </summary>
    public List<int> Leftovers() =>
    [
        .. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit))
            .Where(pid => int.Parse(pid!) != Pid && ReadCommandLine(pid!).Contains(Config.Dir, StringComparison.Ordinal)).Select(p => int.Parse(p!)),
        .. Config.LiveBackendPids(),
    ];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Terminate();
            await _process.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
        }

        _process.Dispose();
    }

    private static string ReadCommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}

/// <summary>How <see cref="ServeRun"/> starts serve when the defaults do not fit a test.</summary>
internal sealed record ServeLaunch
{
    /// <summary>--state-dir; default: "state" in the config's directory.</summary>
    public string? StateDir { get; init; }

    /// <summary>Pass --sshd-option StrictModes=no (the temp directories sit below /tmp).</summary>
    public bool StrictModesOff { get; init; } = true;

    /// <summary>A program serve runs under: gets the binary and serve's arguments, returns its own.</summary>
    public (string Command, Func<string, IReadOnlyList<string>, IEnumerable<string>> Args)? Wrapper { get; init; }
}
