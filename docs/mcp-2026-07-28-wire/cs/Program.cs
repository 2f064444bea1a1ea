using ModelContextProtocol.Client;
var cmd = args.Length > 0 ? args[0] : "/tmp/mcpv2/tee-server.sh";
var transport = new StdioClientTransport(new StdioClientTransportOptions { Command = cmd, Name = "t" });
var opts = new McpClientOptions { ClientInfo = new() { Name = "cs-client", Version = "1.0" } };
if (args.Length > 1) opts.ProtocolVersion = args[1];
await using var client = await McpClient.CreateAsync(transport, opts);
Console.WriteLine($"negotiated={client.NegotiatedProtocolVersion} server={client.ServerInfo?.Name}");
var tools = await client.ListToolsAsync();
Console.WriteLine("tools=" + string.Join(",", tools.Select(t => t.Name)));
