using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol.Client;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>Starts the native mcp-ssh binary: behind the C# SDK's McpClient, or raw to check exit codes, stdout and stderr.</summary>
internal static class McpSshRun
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The flags every test passes: loopback sshd, its port, our user, a key and the fixture's known_hosts; and no
    /// OpenSSH config, so the machine's /etc/ssh/ssh_config (Debian's sets HashKnownHosts yes) cannot change a test.
    /// </summary>
    public static List<string> Args(SshdFixture sshd, string key, params string[] extra) =>
    [
        "--host", "127.0.0.1", "--port", sshd.Port.ToString(CultureInfo.InvariantCulture), "--username", sshd.User,
        "--client-key", key, "--known-hosts", sshd.KnownHosts, "--no-ssh-config", .. extra,
    ];

    public static async Task<ClientSession> ConnectAsync(IEnumerable<string> args, McpClientOptions? options = null, IDictionary<string, string>? environment = null)
    {
        var stderr = new ConcurrentQueue<string>();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "mcp-ssh",
            Command = TestPaths.McpSshBinary,
            Arguments = [.. args],
            StandardErrorLines = stderr.Enqueue,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
            EnvironmentVariables = environment?.ToDictionary(e => e.Key, e => (string?)e.Value),
        });
        using var cts = new CancellationTokenSource(Timeout);
        McpClient client = await McpClient.CreateAsync(transport, options, cancellationToken: cts.Token);
        return new ClientSession(client, stderr);
    }
}

public sealed class ClientSession(McpClient client, ConcurrentQueue<string> stderr) : IAsyncDisposable
{
    public McpClient Client { get; } = client;

    public string Stderr => string.Join('\n', stderr);

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

/// <summary>mcp-ssh with raw pipes: write lines, read lines, close stdin, see the exit code and stderr.</summary>
public sealed class RawMcpSsh : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RawMcpSsh(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stderrDone.TrySetResult();
            }
            else
            {
                lock (_stderrWaits)
                {
                    _stderr.Enqueue(e.Data);
                    _stderrWaits.RemoveAll(w => w.Met(_stderr) && w.Seen.TrySetResult());
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    private readonly List<(Func<IEnumerable<string>, bool> Met, TaskCompletionSource Seen)> _stderrWaits = [];

    public int Pid => _process.Id;

    /// <summary>Completes when a stderr line containing <paramref name="text"/> has been written (or already was).</summary>
    public Task WaitForStderrAsync(string text) => WaitForStderrAsync(text, times: 1);

    /// <summary>Completes when <paramref name="times"/> stderr lines contain <paramref name="text"/> (or already do); bounded by the run timeout.</summary>
    public Task WaitForStderrAsync(string text, int times)
    {
        bool Met(IEnumerable<string> lines) => lines.Count(l => l.Contains(text, StringComparison.Ordinal)) >= times;
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderrWaits)
        {
            if (Met(_stderr))
            {
                return Task.CompletedTask;
            }

            _stderrWaits.Add((Met, seen));
        }

        return seen.Task.WaitAsync(McpSshRun.Timeout);
    }

    public string Stderr => string.Join('\n', _stderr);

    public static RawMcpSsh Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(TestPaths.McpSshBinary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new RawMcpSsh(Process.Start(start)!);
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Writes bytes with no newline after them (a partial line, as a probe would send).</summary>
    public async Task WritePartialAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next stdout line, which must be one JSON object (stdout is the protocol).</summary>
    public async Task<JsonElement> ReadMessageAsync()
    {
        string? line = await _process.StandardOutput.ReadLineAsync().WaitAsync(McpSshRun.Timeout);
        Assert.NotNull(line);
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        return doc.RootElement.Clone();
    }

    /// <summary>The next stdout line as it is (a streamed line ended mid-way is not JSON).</summary>
    public async Task<string> ReadLineAsync()
    {
        string? line = await _process.StandardOutput.ReadLineAsync().WaitAsync(McpSshRun.Timeout);
        Assert.NotNull(line);
        return line;
    }

    /// <summary>The next response (result or error), skipping the notifications a server may send at any time.</summary>
    public async Task<JsonElement> ReadResponseAsync()
    {
        while (true)
        {
            JsonElement message = await ReadMessageAsync();
            if (message.TryGetProperty("id", out _) && !message.TryGetProperty("method", out _))
            {
                return message;
            }
        }
    }

    public void CloseStdin() => _process.StandardInput.Close();

    /// <summary>Waits for exit and returns the code; everything left on stdout must be JSON lines.</summary>
    public async Task<int> WaitForExitAsync()
    {
        string rest = await _process.StandardOutput.ReadToEndAsync().WaitAsync(McpSshRun.Timeout);
        foreach (string line in rest.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
        }

        await _process.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
        await _stderrDone.Task.WaitAsync(McpSshRun.Timeout);
        return _process.ExitCode;
    }

    /// <summary>Runs to completion with stdin closed at once; for connection failures.</summary>
    public static async Task<(int ExitCode, string Stderr, string Stdout)> RunToEndAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        await using RawMcpSsh run = Start(args, environment);
        run.CloseStdin();
        Task<string> stdout = run._process.StandardOutput.ReadToEndAsync();
        await run._process.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
        await run._stderrDone.Task.WaitAsync(McpSshRun.Timeout);
        return (run._process.ExitCode, run.Stderr, await stdout);
    }

    public const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw-test","version":"1"}}}""";

    public const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
