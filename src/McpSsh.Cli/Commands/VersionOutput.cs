using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace McpSsh.Cli.Commands;

/// <summary>
/// <c>mcp-ssh --version</c>: the version, the commit and the runtime identifier, the three facts a bug report needs
/// ("mcp-ssh 0.2.0 (commit 1a2b3c4d5e6f, linux-arm64)"). The version is the build's MSBuild Version (scripts/release
/// passes it; a plain build says 0.0.0-dev); the commit is the git revision at build time, which the SDK appends to
/// InformationalVersion after a '+'; the RID is the one the binary was compiled for (native) or runs on (.NET tool).
/// </summary>
internal static class VersionOutput
{
    public static string Text { get; } = Format(
        typeof(VersionOutput).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        RuntimeInformation.RuntimeIdentifier);

    /// <summary>Splits "0.2.0+1a2b3c..." into version and commit (12 hex digits, as git's short form is unambiguous enough).</summary>
    public static string Format(string? informationalVersion, string runtimeIdentifier)
    {
        string[] parts = (informationalVersion ?? "0.0.0-dev").Split('+', 2);
        string commit = parts.Length == 2 && parts[1].Length > 0 ? parts[1][..Math.Min(12, parts[1].Length)] : "unknown";
        return $"mcp-ssh {parts[0]} (commit {commit}, {runtimeIdentifier})";
    }

    /// <summary>Makes the root command's built-in --version print <see cref="Text"/> to <paramref name="stdout"/>.</summary>
    public static void Register(RootCommand root, Stream stdout)
    {
        VersionOption option = root.Options.OfType<VersionOption>().Single();
        option.Action = new PrintVersion(stdout);
    }

    private sealed class PrintVersion(Stream stdout) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            byte[] line = System.Text.Encoding.UTF8.GetBytes(Text + "\n");
            stdout.Write(line);
            stdout.Flush();
            return 0;
        }
    }
}
