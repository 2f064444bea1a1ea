using System.Diagnostics;

namespace McpSsh.Tests.Common;

/// <summary>
/// A real OpenSSH <c>ssh-agent -D</c> on a private socket, stopped by PID on dispose; <see cref="Add"/> and
/// <see cref="Lock"/> run the real <c>ssh-add</c> against it.
/// </summary>
internal sealed class SshAgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private SshAgentProcess(Process process, string directory, string socketPath)
    {
        _process = process;
        _directory = directory;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public int Pid => _process.Id;

    public static SshAgentProcess Start()
    {
        string directory = Directory.CreateTempSubdirectory("mcp-ssh-agent-").FullName;
        string socket = Path.Combine(directory, "agent.sock");
        var start = new ProcessStartInfo("ssh-agent") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-D", "-a", socket })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start)!;
        // In -D mode the agent prints "SSH_AUTH_SOCK=...;" once its socket listens: that line is the readiness signal.
        string? first = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (first is null || !first.StartsWith("SSH_AUTH_SOCK=", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"ssh-agent did not start: {first} {process.StandardError.ReadToEnd()}");
        }

        return new SshAgentProcess(process, directory, socket);
    }

    /// <summary><c>ssh-add KEY</c> (extra options first, e.g. <c>-c</c>).</summary>
    public void Add(string keyPath, params string[] options) => SshAdd([.. options, keyPath]);

    /// <summary><c>ssh-add -x</c> with <paramref name="password"/> given through SSH_ASKPASS (no terminal).</summary>
    public void Lock(string password) => SshAdd(["-x"], password);

    public void Unlock(string password) => SshAdd(["-X"], password);

    private void SshAdd(string[] args, string? askpassAnswer = null)
    {
        var start = new ProcessStartInfo("ssh-add") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SSH_AUTH_SOCK"] = SocketPath;
        start.Environment.Remove("DISPLAY");
        if (askpassAnswer is not null)
        {
            string script = Path.Combine(_directory, "askpass.sh");
            File.WriteAllText(script, $"#!/bin/sh\necho '{askpassAnswer}'\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            start.Environment["SSH_ASKPASS"] = script;
            start.Environment["SSH_ASKPASS_REQUIRE"] = "force";
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-add {string.Join(' ', args)} failed: {error}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
