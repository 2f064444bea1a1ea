using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Tools with knobs for the relay's tests: echo, payload sizes, progress, cancellation, sampling, elicitation,
// roots, logging and a crash. It logs to stderr only (stdout is the protocol).
var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "mcp-ssh-test-server", Version = "1.0.0" },
    ServerInstructions = "Test server for mcp-ssh.",
    ToolCollection = [.. TestTools.Create()],
    PromptCollection =
    [
        McpServerPrompt.Create(
            ([Description("Who to greet")] string name) => $"Please greet {name} warmly.",
            new McpServerPromptCreateOptions { Name = "greeting", Description = "A greeting prompt" }),
    ],
    ResourceCollection =
    [
        McpServerResource.Create(
            () => "hello from the test server",
            new McpServerResourceCreateOptions { UriTemplate = "test://static/hello", Name = "hello", MimeType = "text/plain" }),
    ],
};

// TEST_SERVER_LIST_DELAY_MS: tools/list answers only after this long (the benchmark's slow-backend fan-out rows).
if (int.TryParse(Environment.GetEnvironmentVariable("TEST_SERVER_LIST_DELAY_MS"), out int listDelayMs) && listDelayMs > 0)
{
    options.Handlers.ListToolsHandler = async (_, token) =>
    {
        await Task.Delay(listDelayMs, token);
        return new ListToolsResult { Tools = [] };
    };
}

await using McpServer server = McpServer.Create(new StdioServerTransport("mcp-ssh-test-server"), options);
Console.Error.WriteLine($"mcp-ssh-test-server started (pid {Environment.ProcessId})");
await server.RunAsync();

internal static class TestTools
{
    public static IEnumerable<McpServerTool> Create()
    {
        yield return Tool("echo", "Echoes the message", ([Description("Text to echo")] string message) => $"echo: {message}");

        yield return Tool("add", "Adds two integers", (int a, int b) => (a + b).ToString(System.Globalization.CultureInfo.InvariantCulture));

        yield return Tool("payload", "Returns a string of N 'x' characters", (int size) => new string('x', size));

        yield return Tool("measure", "Returns the length of the data it was given", (string data) => data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        yield return Tool("pid", "Returns the server's process id", () => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        yield return Tool("slow", "Reports progress for each step, waiting stepMs between steps; honours cancellation",
            async (int steps, int stepMs, IProgress<ProgressNotificationValue> progress, CancellationToken token) =>
            {
                for (int i = 1; i <= steps; i++)
                {
                    await Task.Delay(stepMs, token);
                    progress.Report(new ProgressNotificationValue { Progress = i, Total = steps, Message = $"step {i}" });
                }

                return $"done after {steps} steps";
            });

        yield return Tool("wait_for_cancel", "Waits until cancelled, then writes a marker file", async (string markerPath, CancellationToken token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                File.WriteAllText(markerPath, "cancelled");
                throw;
            }

            return "never";
        });

        yield return Tool("sample", "Asks the client's model (sampling/createMessage)", async (McpServer server, string prompt, CancellationToken token) =>
        {
            CreateMessageResult result = await server.SampleAsync(new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
                MaxTokens = 50,
            }, token);
            return $"model {result.Model} said: {string.Join(" ", result.Content.OfType<TextContentBlock>().Select(c => c.Text))}";
        });

        yield return Tool("elicit", "Asks the user a question (elicitation/create)", async (McpServer server, string question, CancellationToken token) =>
        {
            ElicitResult result = await server.ElicitAsync(new ElicitRequestParams
            {
                Message = question,
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                    {
                        ["answer"] = new ElicitRequestParams.StringSchema { Description = "The answer" },
                    },
                },
            }, token);
            string answer = result.Content is { } content && content.TryGetValue("answer", out JsonElement value) ? value.GetString() ?? "" : "";
            return $"{result.Action}: {answer}";
        });

        yield return Tool("roots", "Lists the client's roots (roots/list)", async (McpServer server, CancellationToken token) =>
        {
            ListRootsResult result = await server.RequestRootsAsync(new ListRootsRequestParams(), token);
            return string.Join(",", result.Roots.Select(r => r.Uri));
        });

        yield return Tool("log", "Sends a logging notification, then answers", async (McpServer server, string message, CancellationToken token) =>
        {
            await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification,
                new LoggingMessageNotificationParams { Level = LoggingLevel.Warning, Logger = "test", Data = JsonSerializer.SerializeToElement(message) },
                cancellationToken: token);
            return "logged";
        });

        yield return Tool("crash", "Exits the server process in the middle of the call", () =>
        {
            Console.Error.WriteLine("crash requested: exiting with status 3");
            Environment.Exit(3);
            return "unreachable";
        });
    }

    private static McpServerTool Tool(string name, string description, Delegate handler) =>
        McpServerTool.Create(handler, new McpServerToolCreateOptions { Name = name, Description = description });
}
