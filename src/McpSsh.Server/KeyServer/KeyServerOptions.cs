namespace McpSsh.Server.KeyServer;

public sealed record KeyServerOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>The SSH host key line served at /server_pub_key.</summary>
    public required string ServerPublicKey { get; init; }

    public int RatePerMinute { get; init; } = 10;

    /// <summary>When set, /register needs <c>Authorization: Bearer TOKEN</c>. Never logged.</summary>
    public string? Token { get; init; }

    public string? CertificatePath { get; init; }

    public string? CertificateKeyPath { get; init; }

    public const int MaxBodyBytes = 16 * 1024;

    public string Scheme => CertificatePath is null ? "http" : "https";
}
