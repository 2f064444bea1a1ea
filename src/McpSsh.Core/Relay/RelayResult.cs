namespace McpSsh.Relay;

/// <param name="Outcome">Which side ended the session.</param>
/// <param name="Reason">A short human reason, e.g. "remote command exited with status 1".</param>
/// <param name="FailedRequests">How many in-flight requests were answered with an error by the relay.</param>
public sealed record RelayResult(RelayOutcome Outcome, string Reason, int FailedRequests);
