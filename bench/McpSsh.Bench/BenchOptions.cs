using System.Globalization;

namespace McpSsh.Bench;

/// <summary>--name value pairs; scripts/bench passes the paths, the counts have defaults sized for 2 cores.</summary>
internal sealed record BenchOptions(string McpSsh, string TestServerDll, string EverythingJs, string Dotnet, string Node, int Calls, int Lists, int Warmup, int Rounds, string? JsonOut)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Need(string name) => values.TryGetValue(name, out string? v) ? v : throw new ArgumentException($"--{name} is required");
        int Int(string name, int fallback) => values.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(Need("mcp-ssh"), Need("test-server"), Need("everything"), Need("dotnet"), Need("node"),
            Int("calls", 2000), Int("lists", 300), Int("warmup", 500), Int("rounds", 3), values.GetValueOrDefault("json"));
    }
}
