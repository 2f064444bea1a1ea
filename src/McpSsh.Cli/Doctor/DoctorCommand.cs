using System.CommandLine;
using System.Text;
using System.Text.Json;
using McpSsh.Cli.Commands;

namespace McpSsh.Cli.Doctor;

/// <summary><c>mcp-ssh doctor</c>: the client's connection, one step at a time, as a checklist with timings.</summary>
internal static class DoctorCommand
{
    public const string Description =
        """
        Check a connection one step at a time and print a checklist with timings: where each setting came from (flag,
        ssh_config FILE:LINE, default), name resolution, TCP, the server's SSH version and algorithms, the host-key
        verdict with its fix, the key accepted, the channel, the MCP handshake (server/discover, then initialize:
        server name, protocol version, counts of tools, prompts and resources) and the round-trip latency (p50 of
        10 tools/list calls). Takes the client's flags, or an ssh_config alias with --host. Exits with the code of
        the first failing step, the one the client itself would exit with. Colours only on a terminal; NO_COLOR
        turns them off.

        Examples:
          mcp-ssh doctor --host example.org --port 8022 --username mcp
          mcp-ssh doctor --host myalias --json
        """;

    public static readonly Option<bool> Json = new("--json")
    { Description = "Print the report as JSON (target, steps with name, status, milliseconds, detail, error, exitCode, facts; exitCode)" };

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var command = new Command("doctor", Description);
        foreach (Option option in ClientOptions.All)
        {
            command.Options.Add(option);
        }

        command.Options.Add(Json);
        command.SetAction((parse, token) => RunAsync(parse, stdout, stderr, Environment.GetEnvironmentVariable, !Console.IsOutputRedirected, token));
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parse, Stream stdout, TextWriter stderr, Func<string, string?> environment, bool isTerminal, CancellationToken stop)
    {
        DoctorReport report;
        try
        {
            ClientSettings settings = ClientSettings.From(parse, environment);
            DoctorStep settingsStep = SettingsCheck.Describe(parse, settings, environment);
            report = await new DoctorRunner(settings, settingsStep).RunAsync(stop);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"mcp-ssh: {ex.Message}");
            report = new DoctorReport(parse.GetValue(ClientOptions.Host) ?? "?",
                [new DoctorStep("settings", DoctorStatus.Failed, null, ex.Message) { Error = $"mcp-ssh: {ex.Message}", ExitCode = ExitCodes.Usage }], ExitCodes.Usage);
        }

        await using var writer = new StreamWriter(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
        if (parse.GetValue(Json))
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(report, DoctorJsonContext.Default.DoctorReport));
        }
        else
        {
            new DoctorPrinter(writer, DoctorPrinter.UseColour(isTerminal, environment)).Print(report);
        }

        await writer.FlushAsync(stop);
        return report.ExitCode;
    }
}
