using System.Globalization;

namespace McpSsh.Bench;

/// <summary>--name value pairs; scripts/bench passes the paths, the counts have defaults sized for 2 cores.</summary>
internal sealed record BenchOptions(string McpSsh, string TestServerDll, string EverythingJs, string Dotnet, string Node, int Calls, int Lists, int Warmup, int Rounds, string? JsonOut)
{
    /// <summary>"gateway" or "relay" (mcp-ssh against ssh -T).</summary>
    public string Suite { get; init; } = "gateway";

    public string Sshd { get; init; } = "/usr/sbin/sshd";

    public string? MarkdownOut { get; init; }

    /// <summary>Relay far ends to run, "cat" and/or "mcp" (both by default; one is quicker while iterating).</summary>
    public string[] FarEnds { get; init; } = ["cat", "mcp"];

    public static BenchOptions Parse(string[] args)
    {
        string suite = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "gateway";
        args = suite == "gateway" && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? args : args[1..];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Need(string name) => values.TryGetValue(name, out string? v) ? v : throw new ArgumentException($"--{name} is required");
        int Int(string name, int fallback) => values.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(Need("mcp-ssh"), Need("test-server"), Need("everything"), Need("dotnet"), Need("node"),
            Int("calls", 2000), Int("lists", 300), Int("warmup", 500), Int("rounds", 3), values.GetValueOrDefault("json"))
        {
            Suite = suite,
            Sshd = values.GetValueOrDefault("sshd") ?? "/usr/sbin/sshd",
            MarkdownOut = values.GetValueOrDefault("markdown"),
            FarEnds = values.TryGetValue("far-ends", out string? farEnds) ? farEnds.Split(',', StringSplitOptions.RemoveEmptyEntries) : ["cat", "mcp"],
        };
    }
}
