using System.Diagnostics;

namespace McpSsh.Tests.Support;

/// <summary>Runs OpenSSH's own tools (ssh-keygen) to make real test inputs, and temp directories that clean up.</summary>
internal static class Tools
{
    public static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException($"{file} did not finish in 30 s");
        }

        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
    }

    /// <summary>ssh-keygen a key; returns the private key path (the .pub is beside it).</summary>
    public static string KeyGen(string directory, string name, string type, string passphrase = "", string? format = null, int? bits = null)
    {
        string path = Path.Combine(directory, name);
        var args = new List<string> { "-q", "-t", type, "-N", passphrase, "-f", path, "-C", name };
        if (format is not null)
        {
            args.AddRange(["-m", format]);
        }

        if (bits is not null)
        {
            args.AddRange(["-b", bits.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        Run("ssh-keygen", [.. args]);
        return path;
    }
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("mcp-ssh-test-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
