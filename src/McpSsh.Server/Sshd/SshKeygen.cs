using System.Diagnostics;

namespace McpSsh.Server.Sshd;

/// <summary>
/// Runs ssh-keygen without ever letting it reach a terminal. ssh-keygen reads passphrases from /dev/tty when
/// serve has a controlling terminal (started by hand), whatever its stdin is, and would wait there forever;
/// so every prompt goes to an askpass program (SSH_ASKPASS_REQUIRE=force, and DISPLAY for OpenSSH before 8.4)
/// that answers with the first line of ssh-keygen's stdin, which is where serve writes the passphrase: never
/// on a command line, never in an environment variable. Each run is bounded in time.
/// </summary>
internal sealed class SshKeygen(string keygen, string stateDir)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public void Decrypt(string serverKeyPath, string copy, string passphrase)
    {
        (int status, string stdout, string stderr) = Run(["-p", "-N", "", "-f", copy], passphrase + "\n");
        string output = stdout + stderr;
        if (status != 0)
        {
            throw new ServeException(output.Contains("incorrect passphrase", StringComparison.OrdinalIgnoreCase)
                ? $"wrong passphrase for --server-key {serverKeyPath}"
                : $"could not decrypt --server-key {serverKeyPath} with ssh-keygen: {OneLine(output)}");
        }
    }

    /// <summary>The public key line of an unencrypted private key file.</summary>
    public string PublicKeyOf(string privateKeyPath)
    {
        (int status, string stdout, string stderr) = Run(["-y", "-f", privateKeyPath], "");
        string line = stdout.Trim();
        return status == 0 && line.Length > 0 && !line.Contains('\n', StringComparison.Ordinal) && line.Contains(' ', StringComparison.Ordinal)
            ? line
            : throw new ServeException($"cannot derive the public key of {privateKeyPath} with ssh-keygen -y: {OneLine(stderr + stdout)}");
    }

    private (int Status, string Stdout, string Stderr) Run(string[] args, string stdin)
    {
        string askpass = Path.Combine(stateDir, "askpass");
        McpSsh.Ssh.Keys.AtomicFile.Write(askpass, "#!/bin/sh\nIFS= read -r line\nprintf '%s\\n' \"$line\"\n"u8.ToArray(),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo(keygen) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SSH_ASKPASS"] = askpass;
        start.Environment["SSH_ASKPASS_REQUIRE"] = "force";
        start.Environment["DISPLAY"] = ":mcp-ssh-askpass"; // never connected to: older ssh-keygen uses askpass only when DISPLAY is set

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited without reading: its status and output say why.
        }

        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new ServeException($"{keygen} {string.Join(' ', args.Where(a => a.Length > 0))} did not finish within {s_timeout.TotalSeconds:0} s");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string OneLine(string text) => string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
