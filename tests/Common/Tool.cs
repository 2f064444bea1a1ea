using System.Diagnostics;
using System.Globalization;

namespace McpSsh.Tests.Common;

/// <summary>
/// Runs OpenSSH's own tools (ssh-keygen, ssh-keyscan, kill) to make real inputs; compiled into both test projects.
/// </summary>
internal static class Tool
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
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in 60 s");
        }

        return process.ExitCode == 0 ? stdout.Result : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
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
            args.AddRange(["-b", bits.Value.ToString(CultureInfo.InvariantCulture)]);
        }

        Run("ssh-keygen", [.. args]);
        return path;
    }
}
