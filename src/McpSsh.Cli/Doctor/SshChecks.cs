using McpSsh.Relay;
using McpSsh.Ssh;
using Microsoft.Extensions.Logging;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// The SSH steps after TCP: key exchange and algorithms, the host-key verdict, authentication and the channel. They
/// run as one connect through the client's own <see cref="SshConnector"/> (same verification, keys, agent, jump
/// hosts), and are told apart by the events it logs and, on failure, by the kind of <see cref="SshConnectException"/>.
/// </summary>
internal static class SshChecks
{
    // The connector's event ids (McpSsh.Ssh SshLog).
    private const int Connecting = 200;
    private const int Connected = 201;
    private const int HostKeyKnown = 300;
    private const int HostKeyAdded = 301;
    private const int HostKeyUnchecked = 302;

    public static async Task<(IReadOnlyList<DoctorStep> Steps, IRemoteChannel? Channel)> ConnectAsync(SshConnectOptions ssh, CapturedEvents events, CancellationToken stop)
    {
        IRemoteChannel? channel = null;
        SshConnectException? failure = null;
        try
        {
            channel = await SshConnector.ConnectAsync(ssh, events, stop);
        }
        catch (SshConnectException ex)
        {
            failure = ex;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = new SshConnectException(ConnectFailure.KeyFile, ex.Message, ex);
        }

        double start = events.First(Connecting)?.AtMilliseconds ?? 0;
        CapturedEvent? verdict = events.All.FirstOrDefault(e => e.Id is HostKeyKnown or HostKeyAdded or HostKeyUnchecked);
        CapturedEvent? connected = events.First(Connected);
        string keys = events.First(Connecting)?["KeyPath"] ?? ssh.PrivateKeyPath;

        if (verdict is null)
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }

            // No verdict: the key exchange itself failed (or the verdict was a refusal, which is the host-key step's).
            // A key that cannot be loaded (missing, unreadable, passphrase) fails before the connect begins.
            return failure?.Failure switch
            {
                ConnectFailure.HostKey => ([Failed("host key", failure), Skipped("authentication"), Skipped("channel")], null),
                ConnectFailure.KeyFile => ([NetworkChecks.Skipped("host key", "not checked: the private key could not be loaded"), Failed("authentication", failure), Skipped("channel")], null),
                _ => ([Failed("key exchange", failure), Skipped("host key"), Skipped("authentication"), Skipped("channel")], null),
            };
        }

        var steps = new List<DoctorStep> { HostKey(verdict, start) };
        if (connected is null)
        {
            bool auth = failure?.Failure is ConnectFailure.Authentication or ConnectFailure.KeyFile or ConnectFailure.Timeout;
            steps.Add(auth ? Failed("authentication", failure) : new DoctorStep("authentication", DoctorStatus.Ok, null, $"accepted: {Accepted(keys)} as {ssh.Username}"));
            steps.Add(auth ? Skipped("channel") : Failed("channel", failure));
            return (steps, null);
        }

        steps.Add(new DoctorStep("authentication", DoctorStatus.Ok, connected.AtMilliseconds - verdict.AtMilliseconds,
            $"accepted: {Accepted(keys)} as {ssh.Username}") { Facts = [new("offered", keys)] });
        steps.Add(new DoctorStep("channel", DoctorStatus.Ok, null, $"{connected["Mode"]}{(ssh.RemoteCommand is { } command ? $": {command}" : "")}"));
        return (steps, channel);
    }

    /// <summary>The "ssh" step completed with what the connect negotiated (server version, key exchange, cipher).</summary>
    public static DoctorStep WithAlgorithms(DoctorStep ssh, CapturedEvents events)
    {
        if (events.First(Connected) is not { } connected)
        {
            return ssh;
        }

        string version = connected["ServerVersion"] ?? "?";
        string algorithms = $"{connected["Kex"] ?? "?"}, {connected["Cipher"] ?? "?"}";
        return ssh with
        {
            Status = ssh.Status == DoctorStatus.Skipped ? DoctorStatus.Ok : ssh.Status,
            Detail = $"{(ssh.Status == DoctorStatus.Skipped ? version : ssh.Detail)}; {algorithms}",
            Facts = [new("server_version", version), new("kex", connected["Kex"] ?? "?"), new("cipher", connected["Cipher"] ?? "?")],
        };
    }

    /// <summary>SSH.NET does not say which key the server took; with one key offered it is that one.</summary>
    private static string Accepted(string keys) => keys.Contains(", ", StringComparison.Ordinal) ? $"one of {keys}" : keys;

    private static DoctorStep HostKey(CapturedEvent verdict, double start)
    {
        (DoctorStatus status, string detail) = verdict.Id switch
        {
            HostKeyAdded => (DoctorStatus.Warning, $"was unknown, added to {verdict["Path"]} (--accept-new): {verdict["KeyType"]} {verdict["Fingerprint"]}"),
            HostKeyUnchecked => (DoctorStatus.Warning, $"NOT CHECKED (--disable-host-key-checking): {verdict["KeyType"]} {verdict["Fingerprint"]}. Fix: drop the flag and add the key to known_hosts"),
            _ => (DoctorStatus.Ok, $"known: {verdict["KeyType"]} {verdict["Fingerprint"]} ({verdict["Location"]})"),
        };
        return new DoctorStep("host key", status, verdict.AtMilliseconds - start, detail) { Facts = [new("fingerprint", verdict["Fingerprint"] ?? "?")] };
    }

    private static DoctorStep Skipped(string name) => NetworkChecks.Skipped(name);

    private static DoctorStep Failed(string name, SshConnectException? failure) => failure is null
        ? new DoctorStep(name, DoctorStatus.Failed, null, "the connection ended without an error") { ExitCode = ExitCodes.Protocol }
        : new DoctorStep(name, DoctorStatus.Failed, null, failure.Message) { Error = $"mcp-ssh: {failure.Message}", ExitCode = ExitCodes.For(failure.Failure) };
}
