using System.Globalization;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// The checklist for people: one line per step (mark, name, time, what was found), the facts under it, and for a
/// failure the client's own one-line error with its fix. Colours only on a terminal and never with NO_COLOR.
/// </summary>
internal sealed class DoctorPrinter(TextWriter output, bool colour)
{
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Dim = "\u001b[2m";
    private const string Reset = "\u001b[0m";

    /// <summary>https://no-color.org: a NO_COLOR that is set and not empty turns colour off.</summary>
    public static bool UseColour(bool isTerminal, Func<string, string?> environment) =>
        isTerminal && string.IsNullOrEmpty(environment("NO_COLOR"));

    public void Print(DoctorReport report)
    {
        output.WriteLine($"mcp-ssh doctor: {report.Target}");
        foreach (DoctorStep step in report.Steps)
        {
            (string mark, string colourCode) = step.Status switch
            {
                DoctorStatus.Ok => ("✔", Green),
                DoctorStatus.Warning => ("!", Yellow),
                DoctorStatus.Failed => ("✘", Red),
                _ => ("-", Dim),
            };
            string time = step.Milliseconds is { } ms ? $"{ms.ToString("0", CultureInfo.InvariantCulture)} ms" : "";
            output.WriteLine($"  {Paint(mark, colourCode)} {step.Name,-14} {time,8}  {(step.Status == DoctorStatus.Failed ? step.Error ?? step.Detail : step.Detail)}");
            // Facts the line already says are left out (they stay in --json).
            foreach (DoctorFact fact in step.Facts.Where(f => f.Source is not null || !step.Detail.Contains(f.Value, StringComparison.Ordinal)))
            {
                output.WriteLine($"      {fact.Name,-18} {fact.Value}{(fact.Source is null ? "" : Paint($"  ({fact.Source})", Dim))}");
            }
        }

        DoctorStep? failed = report.Steps.FirstOrDefault(s => s.Status == DoctorStatus.Failed);
        output.WriteLine(failed is null
            ? Paint("All steps passed: the client will connect with these settings.", Green)
            : Paint($"Failed at {failed.Name} (exit code {report.ExitCode}); the client exits the same way.", Red));
    }

    private string Paint(string text, string code) => colour ? code + text + Reset : text;
}
