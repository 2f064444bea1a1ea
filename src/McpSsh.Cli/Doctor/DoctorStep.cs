using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpSsh.Cli.Doctor;

/// <summary>How one step of <c>mcp-ssh doctor</c> ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DoctorStatus>))]
internal enum DoctorStatus
{
    [JsonStringEnumMemberName("ok")]
    Ok,
    [JsonStringEnumMemberName("warning")]
    Warning,
    [JsonStringEnumMemberName("failed")]
    Failed,
    [JsonStringEnumMemberName("skipped")]
    Skipped,
}

/// <summary>
/// One line of the checklist: what was checked, how it ended, how long it took (null when it was not timed on its
/// own), what was found, and for a failure the fix and the exit code the client would exit with.
/// </summary>
internal sealed record DoctorStep(string Name, DoctorStatus Status, double? Milliseconds, string Detail)
{
    /// <summary>The one-line error with its fix (the client's own message), for a failed step.</summary>
    public string? Error { get; init; }

    /// <summary>The exit code this failure maps to (the client's, see ExitCodes).</summary>
    public int? ExitCode { get; init; }

    /// <summary>Extra facts as name/value pairs (settings and their sources, algorithms, counts).</summary>
    public IReadOnlyList<DoctorFact> Facts { get; init; } = [];
}

/// <summary>A fact a step found, and where it came from (for settings: flag, FILE:LINE of ssh_config, or default).</summary>
internal sealed record DoctorFact(string Name, string Value, string? Source = null);

/// <summary>The whole run, as <c>--json</c> prints it.</summary>
internal sealed record DoctorReport(string Target, IReadOnlyList<DoctorStep> Steps, int ExitCode);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(DoctorReport))]
internal sealed partial class DoctorJsonContext : JsonSerializerContext;
