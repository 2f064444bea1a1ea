using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests.Era;

/// <summary>One echo call as the host saw it: the text of the result, or the error.</summary>
public sealed record CallOutcome(string? Text, bool IsError, string? Error);

/// <summary>What one host session saw: the negotiated version, every tool, each call, or why it could not connect.</summary>
public sealed record Observation(string? ProtocolVersion, List<string> Tools, Dictionary<string, CallOutcome> Calls, string? Error, long ConnectMs, string Log)
{
    public override string ToString() =>
        $"version={ProtocolVersion ?? "-"} connect={ConnectMs} ms error={Error ?? "-"}\ntools: {string.Join(", ", Tools)}\n"
        + string.Join('\n', Calls.Select(c => $"call {c.Key}: {c.Value}")) + "\n--- log ---\n" + Log;
}

/// <summary>Runs a host of the matrix against a command line (mcp-ssh with its flags) and reports what it saw.</summary>
internal static class EraHosts
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(150);

    public static Task<Observation> ObserveAsync(EraHost host, string command, IReadOnlyList<string> args, IReadOnlyList<(string Tool, Dictionary<string, object?> Args)> calls) =>
        host is EraHost.TsModern or EraHost.TsLegacy
            ? RunTypeScriptAsync(host == EraHost.TsModern ? "modern" : "legacy", command, args, calls)
            : RunCSharpAsync(host == EraHost.CsLegacy ? "2025-11-25" : null, command, args, calls);

    /// <summary>tests/node/era-client.mjs: the TS SDK v2 client (MODE modern, legacy or auto), one JSON line on stdout.</summary>
    public static async Task<Observation> RunTypeScriptAsync(string mode, string command, IReadOnlyList<string> args, IReadOnlyList<(string Tool, Dictionary<string, object?> Args)> calls)
    {
        var start = new ProcessStartInfo(TestPaths.Node) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "tests", "node", "era-client.mjs"));
        start.ArgumentList.Add(mode);
        foreach ((string tool, Dictionary<string, object?> callArgs) in calls)
        {
            start.ArgumentList.Add("--call");
            start.ArgumentList.Add(tool);
            start.ArgumentList.Add(JsonSerializer.Serialize(callArgs));
        }

        start.ArgumentList.Add("--");
        start.ArgumentList.Add(command);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(s_bound);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Observation(null, [], [], $"era-client.mjs did not finish within {s_bound}", -1, await stderr);
        }

        string line = (await stdout).Trim();
        if (line.Length == 0)
        {
            return new Observation(null, [], [], $"era-client.mjs exited {process.ExitCode} without a result line", -1, await stderr);
        }

        using var document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement;
        var observed = new Dictionary<string, CallOutcome>();
        foreach (JsonProperty call in root.GetProperty("calls").EnumerateObject())
        {
            observed[call.Name] = new CallOutcome(
                call.Value.TryGetProperty("text", out JsonElement text) ? text.GetString() : null,
                call.Value.TryGetProperty("isError", out JsonElement isError) && isError.GetBoolean(),
                call.Value.TryGetProperty("error", out JsonElement error) ? error.GetString() : null);
        }

        return new Observation(
            root.TryGetProperty("protocolVersion", out JsonElement version) ? version.GetString() : null,
            [.. root.GetProperty("tools").EnumerateArray().Select(t => t.GetString()!)],
            observed,
            root.TryGetProperty("error", out JsonElement failure) ? failure.GetString() : null,
            root.GetProperty("connectMs").GetInt64(),
            line + "\n" + await stderr);
    }

    /// <summary>The C# SDK 2.4.0 McpClient in this process; <paramref name="protocolVersion"/> null means its default (probe).</summary>
    private static async Task<Observation> RunCSharpAsync(string? protocolVersion, string command, IReadOnlyList<string> args, IReadOnlyList<(string Tool, Dictionary<string, object?> Args)> calls)
    {
        var log = new ConcurrentQueue<string>();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "era-host",
            Command = command,
            Arguments = [.. args],
            StandardErrorLines = log.Enqueue,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        using var deadline = new CancellationTokenSource(s_bound);
        var clock = Stopwatch.StartNew();
        McpClient client;
        try
        {
            client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion }, cancellationToken: deadline.Token);
        }
        catch (Exception ex)
        {
            return new Observation(null, [], [], $"{ex.GetType().Name}: {ex.Message}", clock.ElapsedMilliseconds, string.Join('\n', log));
        }

        long connectMs = clock.ElapsedMilliseconds;
        await using (client)
        {
            List<string> tools;
            try
            {
                tools = [.. (await client.ListToolsAsync(cancellationToken: deadline.Token)).Select(t => t.Name)];
            }
            catch (Exception ex)
            {
                return new Observation(client.NegotiatedProtocolVersion, [], [], $"tools/list: {ex.GetType().Name}: {ex.Message}", connectMs, string.Join('\n', log));
            }

            var observed = new Dictionary<string, CallOutcome>();
            foreach ((string tool, Dictionary<string, object?> callArgs) in calls)
            {
                try
                {
                    CallToolResult result = await client.CallToolAsync(tool, callArgs, cancellationToken: deadline.Token);
                    string text = string.Join('\n', result.Content.OfType<TextContentBlock>().Select(c => c.Text));
                    observed[tool] = new CallOutcome(text, result.IsError == true, null);
                }
                catch (Exception ex)
                {
                    observed[tool] = new CallOutcome(null, false, $"{ex.GetType().Name}: {ex.Message}");
                }
            }

            return new Observation(client.NegotiatedProtocolVersion, tools, observed, null, connectMs, string.Join('\n', log));
        }
    }
}
