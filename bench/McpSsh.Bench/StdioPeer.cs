using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace McpSsh.Bench;

/// <summary>An MCP server process driven with raw lines: one request out, read until its response comes back.</summary>
internal sealed class StdioPeer : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _stdin;
    private readonly StreamReader _stdout;
    private long _nextId;

    public StdioPeer(Server server)
        : this(server.Command, server.Args, server.Env)
    {
    }

    public StdioPeer(string command, IEnumerable<string> args, Dictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in env ?? [])
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { }; // drained, not shown
        _process.BeginErrorReadLine();
        _stdin = new StreamWriter(_process.StandardInput.BaseStream, new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
        _stdout = _process.StandardOutput;
    }

    public int Pid => _process.Id;

    /// <summary>CPU time the peer process itself has used (user + system), children not included.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public void Initialize()
    {
        Call("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"mcp-ssh-bench","version":"1"}}""");
        _stdin.Write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
        _stdin.Flush();
    }

    /// <summary>Sends one request and returns its response line (notifications and requests from the server are skipped).</summary>
    public string Call(string method, string paramsJson)
    {
        long id = ++_nextId;
        _stdin.Write($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{paramsJson}}}\n");
        _stdin.Flush();
        while (true)
        {
            string line = _stdout.ReadLine() ?? throw new InvalidOperationException($"{method}: the server closed stdout");
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("id", out JsonElement got) && got.ValueKind == JsonValueKind.Number && got.GetInt64() == id
                && !doc.RootElement.TryGetProperty("method", out _))
            {
                if (doc.RootElement.TryGetProperty("error", out JsonElement error))
                {
                    throw new InvalidOperationException($"{method}: {error}");
                }

                return line;
            }
        }
    }

    public void Dispose()
    {
        _stdin.Close();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
