using System.Text.Json;
using McpSsh.Cli.Doctor;

namespace McpSsh.Tests.Cli;

public class DoctorOutputTests
{
    private static readonly DoctorReport s_report = new("mcp@example.org:8022",
    [
        new DoctorStep("settings", DoctorStatus.Ok, null, "mcp@example.org:8022") { Facts = [new("port", "8022", "ssh_config /home/a/.ssh/config:3")] },
        new DoctorStep("tcp", DoctorStatus.Failed, 12.5, "refused") { Error = "mcp-ssh: connection refused by example.org:8022", ExitCode = 3 },
        new DoctorStep("ssh", DoctorStatus.Skipped, null, "an earlier step failed"),
    ], 3);

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "", true)]   // no-color.org: only a NO_COLOR that is set and not empty counts
    [InlineData(true, "1", false)]
    [InlineData(false, null, false)]
    public void UseColour_OnlyOnATerminalWithoutNoColor(bool terminal, string? noColor, bool expected) =>
        Assert.Equal(expected, DoctorPrinter.UseColour(terminal, name => name == "NO_COLOR" ? noColor : null));

    [Fact]
    public void Json_StatusesAreWordsAndAbsentValuesAreLeftOut()
    {
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(s_report, DoctorJsonContext.Default.DoctorReport));
        JsonElement root = doc.RootElement;

        Assert.Equal(3, root.GetProperty("exitCode").GetInt32());
        JsonElement[] steps = [.. root.GetProperty("steps").EnumerateArray()];
        Assert.Equal(["ok", "failed", "skipped"], steps.Select(s => s.GetProperty("status").GetString()));
        Assert.False(steps[0].TryGetProperty("milliseconds", out _));
        Assert.False(steps[0].TryGetProperty("error", out _));
        Assert.Equal(12.5, steps[1].GetProperty("milliseconds").GetDouble());
        Assert.Equal("ssh_config /home/a/.ssh/config:3", steps[0].GetProperty("facts")[0].GetProperty("source").GetString());
    }

    [Fact]
    public void Text_ColourWrapsOnlyTheMarks_AndTheFailureShowsTheErrorLine()
    {
        using var plain = new StringWriter();
        using var coloured = new StringWriter();

        new DoctorPrinter(plain, colour: false).Print(s_report);
        new DoctorPrinter(coloured, colour: true).Print(s_report);

        Assert.DoesNotContain('\u001b', plain.ToString());
        Assert.Contains("✘ tcp", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains("mcp-ssh: connection refused by example.org:8022", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains("Failed at tcp (exit code 3)", plain.ToString(), StringComparison.Ordinal);
        Assert.Contains("\u001b[31m✘\u001b[0m tcp", coloured.ToString(), StringComparison.Ordinal);
        Assert.Contains("\u001b[32m✔\u001b[0m settings", coloured.ToString(), StringComparison.Ordinal);
    }
}
