using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 15, deliverable 2: <c>mcp-ssh doctor</c> against the real sshd, for a passing run and for each failing step
/// (refused port, unknown host key, changed key, refused key, a server that exits at once); --json and NO_COLOR.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class DoctorTests(SshdFixture sshd) : IDisposable
{
    private static readonly string[] s_allSteps =
        ["settings", "resolve", "tcp", "ssh", "host key", "authentication", "channel", "mcp", "capabilities", "latency"];

    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-doctor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, JsonElement Report, string Stderr)> DoctorJsonAsync(IEnumerable<string> args)
    {
        (int code, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(["doctor", .. args, "--json"]);
        using var doc = JsonDocument.Parse(stdout);
        return (code, doc.RootElement.Clone(), stderr);
    }

    private static JsonElement Step(JsonElement report, string name) =>
        Assert.Single(report.GetProperty("steps").EnumerateArray(), s => s.GetProperty("name").GetString() == name);

    private static string Status(JsonElement report, string name) => Step(report, name).GetProperty("status").GetString()!;

    private static string? Fact(JsonElement step, string name, string member = "value") =>
        step.GetProperty("facts").EnumerateArray().Where(f => f.GetProperty("name").GetString() == name)
            .Select(f => f.TryGetProperty(member, out JsonElement v) ? v.GetString() : null).SingleOrDefault();

    /// <summary>Every step after the failing one is skipped, and the run exits with the failure's code.</summary>
    private static void AssertFailsAt(JsonElement report, int code, string step, string errorPart)
    {
        Assert.Equal(code, report.GetProperty("exitCode").GetInt32());
        JsonElement failed = Step(report, step);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(code, failed.GetProperty("exitCode").GetInt32());
        Assert.Contains(errorPart, failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("mcp-ssh: ", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        string[] names = [.. report.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];
        int at = Array.IndexOf(names, step);
        Assert.All(names[..at], n => Assert.NotEqual("failed", Status(report, n)));
        Assert.All(names[(at + 1)..], n => Assert.Equal("skipped", Status(report, n)));
    }

    private string WriteKnownHosts(params string[] lines)
    {
        string path = Path.Combine(_dir, $"known_hosts_{Guid.NewGuid():N}");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static List<string> With(List<string> args, string flag, string value)
    {
        args[args.IndexOf(flag) + 1] = value;
        return args;
    }

    [Fact]
    public async Task Doctor_GoodConnection_EveryStepPassesWithFacts()
    {
        (int code, JsonElement report, string stderr) = await DoctorJsonAsync(McpSshRun.Args(sshd, sshd.TestServerKey));

        Assert.True(code == 0, stderr + report);
        Assert.Equal(0, report.GetProperty("exitCode").GetInt32());
        Assert.Equal($"{sshd.User}@127.0.0.1:{sshd.Port}", report.GetProperty("target").GetString());
        Assert.Equal(s_allSteps, report.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(s_allSteps, n => Assert.Equal("ok", Status(report, n)));

        JsonElement settings = Step(report, "settings");
        Assert.Equal("flag --port", Fact(settings, "port", "source"));
        Assert.Equal(sshd.Port.ToString(CultureInfo.InvariantCulture), Fact(settings, "port"));
        Assert.Equal("flag --known-hosts", Fact(settings, "known_hosts", "source"));
        Assert.StartsWith("SSH-2.0-OpenSSH", Fact(Step(report, "ssh"), "server_version"), StringComparison.Ordinal);
        Assert.Contains("known: ssh-ed25519 SHA256:", Step(report, "host key").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(sshd.TestServerKey, Step(report, "authentication").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("?", Fact(Step(report, "channel"), "kex"));
        Assert.Equal("mcp-ssh-test-server", Fact(Step(report, "mcp"), "server"));
        Assert.True(int.Parse(Fact(Step(report, "capabilities"), "tools")!, CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(Fact(Step(report, "latency"), "p50_ms")!, CultureInfo.InvariantCulture) > 0);
        Assert.All(report.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("name").GetString() is "resolve" or "tcp" or "ssh" or "mcp"),
            s => Assert.True(s.GetProperty("milliseconds").GetDouble() >= 0));
    }

    [Fact]
    public async Task Doctor_LegacyServer_FallsBackToInitializeAndCounts()
    {
        (int code, JsonElement report, string stderr) = await DoctorJsonAsync(McpSshRun.Args(sshd, sshd.EverythingKey, "--connect-timeout", "60"));

        Assert.True(code == 0, stderr + report);
        JsonElement mcp = Step(report, "mcp");
        Assert.Contains("(initialize; server/discover: -32601", mcp.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("2025-11-25", Fact(mcp, "protocol"));
        Assert.True(int.Parse(Fact(Step(report, "capabilities"), "tools")!, CultureInfo.InvariantCulture) > 0);
        Assert.True(int.Parse(Fact(Step(report, "capabilities"), "prompts")!, CultureInfo.InvariantCulture) > 0);
        Assert.Equal("ok", Status(report, "latency"));
    }

    [Fact]
    public async Task Doctor_Text_IsAChecklistWithoutColourWhenNotATerminal()
    {
        (int code, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(["doctor", .. McpSshRun.Args(sshd, sshd.TestServerKey)]);

        Assert.True(code == 0, stderr + stdout);
        Assert.StartsWith($"mcp-ssh doctor: {sshd.User}@127.0.0.1:{sshd.Port}", stdout, StringComparison.Ordinal);
        Assert.All(s_allSteps, n => Assert.Contains($"✔ {n}", stdout, StringComparison.Ordinal));
        Assert.Contains("All steps passed", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout);
    }

    [Fact]
    public async Task Doctor_RefusedPort_FailsAtTcpWithExitThree()
    {
        (int code, JsonElement report, _) = await DoctorJsonAsync(With(McpSshRun.Args(sshd, sshd.TestServerKey), "--port", SshdFixture.FreePort().ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(3, code);
        AssertFailsAt(report, 3, "tcp", "connection refused by 127.0.0.1:");
    }

    [Fact]
    public async Task Doctor_UnknownHostKey_FailsAtHostKeyWithTheLineToAdd()
    {
        (int code, JsonElement report, _) = await DoctorJsonAsync(With(McpSshRun.Args(sshd, sshd.TestServerKey), "--known-hosts", WriteKnownHosts()));

        Assert.Equal(5, code);
        AssertFailsAt(report, 5, "host key", "is not known");
        Assert.Contains("add this line to", Step(report, "host key").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ChangedHostKey_FailsAtHostKeyWithTheRemoveCommand()
    {
        string other = File.ReadAllText(sshd.UnauthorizedKey + ".pub").Trim();
        string knownHosts = WriteKnownHosts($"{sshd.HostName} {string.Join(' ', other.Split(' ')[..2])}");

        (int code, JsonElement report, _) = await DoctorJsonAsync(With(McpSshRun.Args(sshd, sshd.TestServerKey), "--known-hosts", knownHosts));

        Assert.Equal(5, code);
        AssertFailsAt(report, 5, "host key", "HOST KEY CHANGED");
        Assert.Contains("ssh-keygen -R", Step(report, "host key").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_RefusedKey_FailsAtAuthenticationWithExitSix()
    {
        (int code, JsonElement report, _) = await DoctorJsonAsync(McpSshRun.Args(sshd, sshd.UnauthorizedKey));

        Assert.Equal(6, code);
        AssertFailsAt(report, 6, "authentication", "authentication failed");
        Assert.Equal("ok", Status(report, "host key"));
    }

    [Fact]
    public async Task Doctor_EncryptedKeyWithoutPassphrase_FailsAtAuthenticationWithExitSeven()
    {
        (int code, JsonElement report, _) = await DoctorJsonAsync(McpSshRun.Args(sshd, sshd.EncryptedKey));

        Assert.Equal(7, code);
        AssertFailsAt(report, 7, "authentication", "is encrypted and no passphrase was given");
        Assert.Equal("skipped", Status(report, "host key"));
    }

    [Fact]
    public async Task Doctor_ServerExitsAtOnce_FailsAtMcpWithExitEight()
    {
        (int code, JsonElement report, _) = await DoctorJsonAsync(McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", "true"));

        Assert.Equal(8, code);
        AssertFailsAt(report, 8, "mcp", "ended without answering");
        Assert.Equal("ok", Status(report, "channel"));
    }

    [Fact]
    public async Task Doctor_SshConfigAlias_SaysWhichFileAndLineSetEachSetting()
    {
        string config = Path.Combine(_dir, "ssh_config");
        File.WriteAllText(config, $"""
            Host doctor-alias
                HostName 127.0.0.1
                Port {sshd.Port}
                User {sshd.User}
                IdentityFile {sshd.TestServerKey}
                UserKnownHostsFile {sshd.KnownHosts}
            """ + "\n");

        (int code, JsonElement report, string stderr) = await DoctorJsonAsync(["--host", "doctor-alias", "--ssh-config", config]);

        Assert.True(code == 0, stderr + report);
        JsonElement settings = Step(report, "settings");
        Assert.Equal($"ssh_config {config}:2", Fact(settings, "host", "source"));
        Assert.Equal($"ssh_config {config}:3", Fact(settings, "port", "source"));
        Assert.Equal($"ssh_config {config}:4", Fact(settings, "user", "source"));
        Assert.Equal($"ssh_config {config}:5", Fact(settings, "identity", "source"));
        Assert.Equal("default", Fact(settings, "connect_timeout", "source"));
    }

    [Fact]
    public async Task Doctor_UsageError_IsTheSettingsStepWithExitTwo()
    {
        (int code, JsonElement report, string stderr) = await DoctorJsonAsync(["--host", "127.0.0.1", "--port", "0", "--no-ssh-config"]);

        Assert.Equal(2, code);
        AssertFailsAt(report, 2, "settings", "--port 0 is not a TCP port");
        Assert.Contains("mcp-ssh: --port 0 is not a TCP port", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_OnATerminal_UsesColourUnlessNoColorIsSet()
    {
        List<string> args = ["doctor", .. With(McpSshRun.Args(sshd, sshd.TestServerKey), "--port", SshdFixture.FreePort().ToString(CultureInfo.InvariantCulture))];
        string command = string.Join(' ', new[] { TestPaths.McpSshBinary }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''") + "'"));

        (int colouredCode, string coloured) = await UnderTerminalAsync(command, noColor: null);
        (int plainCode, string plain) = await UnderTerminalAsync(command, noColor: "1");

        Assert.Equal(3, colouredCode);
        Assert.Equal(3, plainCode);
        Assert.Contains("\u001b[31m✘\u001b[0m tcp", coloured, StringComparison.Ordinal);
        Assert.Contains("✘ tcp", plain, StringComparison.Ordinal);
        // Only colour codes count: .NET itself switches a terminal's keypad mode (ESC [?1h ESC =) when it starts.
        Assert.DoesNotContain("\u001b[3", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[0m", plain, StringComparison.Ordinal);
    }

    /// <summary>Runs a shell command with stdout on a pseudo-terminal (util-linux script), returning its exit code and output.</summary>
    private static async Task<(int Code, string Output)> UnderTerminalAsync(string command, string? noColor)
    {
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string arg in new[] { "-qec", command, "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("NO_COLOR");
        if (noColor is not null)
        {
            start.Environment["NO_COLOR"] = noColor;
        }

        using Process process = Process.Start(start)!;
        try
        {
            process.StandardInput.Close();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string output = await process.StandardOutput.ReadToEndAsync().WaitAsync(McpSshRun.Timeout);
            await process.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
            await stderr;
            return (process.ExitCode, output);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}
