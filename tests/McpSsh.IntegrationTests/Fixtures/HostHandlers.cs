using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>What the tests' MCP host does when a server asks it something, and how tests wait on a session.</summary>
internal static class HostHandlers
{
    /// <summary>Sampling answers "reply to PROMPT" from host-model; elicitation accepts with "42 for QUESTION"; roots are the given URIs.</summary>
    public static McpClientOptions SamplingElicitationRoots(params string[] roots) => new()
    {
        Handlers = new McpClientHandlers
        {
            SamplingHandler = (request, _, _) => ValueTask.FromResult(new CreateMessageResult
            {
                Model = "host-model",
                Role = Role.Assistant,
                Content = [new TextContentBlock { Text = "reply to " + ((TextContentBlock)request!.Messages[0].Content[0]).Text }],
            }),
            ElicitationHandler = (request, _) => ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement> { ["answer"] = JsonSerializer.SerializeToElement("42 for " + request!.Message) },
            }),
            RootsHandler = (_, _) => ValueTask.FromResult(new ListRootsResult
            {
                Roots = [.. roots.Select(uri => new Root { Uri = uri, Name = Path.GetFileName(uri) })],
            }),
        },
    };

    /// <summary>Polls a condition between round trips to the server (each call is a real exchange, not a sleep).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, ClientSession session, string echoTool = "echo")
    {
        using var deadline = new CancellationTokenSource(McpSshRun.Timeout);
        while (!condition())
        {
            deadline.Token.ThrowIfCancellationRequested();
            await session.Client.CallToolAsync(echoTool, new Dictionary<string, object?> { ["message"] = "poll" }, cancellationToken: deadline.Token);
        }
    }

    /// <summary>Asks the SDK to send a progress token; the notifications themselves are counted on the wire.</summary>
    public sealed class IgnoreProgress : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
        }
    }
}
