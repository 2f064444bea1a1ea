using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using McpSsh.Ssh.KeyServer;
using McpSsh.Ssh.Keys;
using McpSsh.Ssh.KnownHosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpSsh.Server.KeyServer;

/// <summary>
/// The key server (Kestrel, slim builder, no reflection): wire-compatible with the Python one (paths, JSON
/// field names, status codes), plus strict key validation, a body limit, a per-address rate limit, an optional
/// bearer token for /register, and optional TLS.
/// </summary>
public sealed class KeyServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly KeyServerOptions _options;
    private readonly AuthorizedKeysStore _store;
    private readonly ILogger _logger;
    private readonly byte[]? _token;

    private KeyServerHost(WebApplication app, KeyServerOptions options, AuthorizedKeysStore store, ILogger logger)
    {
        _app = app;
        _options = options;
        _store = store;
        _logger = logger;
        _token = options.Token is null ? null : Encoding.UTF8.GetBytes(options.Token);
    }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:8000 (the real port when 0 was asked for).</summary>
    public string Url => _app.Urls.First();

    public static async Task<KeyServerHost> StartAsync(KeyServerOptions options, AuthorizedKeysStore store, ILoggerProvider logs, TimeProvider clock, CancellationToken cancellation)
    {
        X509Certificate2? certificate = LoadCertificate(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = KeyServerOptions.MaxBodyBytes;
            kestrel.Listen(ResolveAddress(options.Host), options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        WebApplication app = builder.Build();
        var host = new KeyServerHost(app, options, store, logs.CreateLogger("key-server"));
        var limiter = new RateLimiter(options.RatePerMinute, clock);
        app.Use(async (context, next) =>
        {
            if (!limiter.TryAcquire(context.Connection.RemoteIpAddress ?? IPAddress.None, out TimeSpan retryAfter))
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
                host._logger.LogDebug("Rate limit: {Method} {Path} from {Address} refused for {Seconds:0} s", context.Request.Method, context.Request.Path.Value, context.Connection.RemoteIpAddress, retryAfter.TotalSeconds);
                await JsonReply.Error(context, StatusCodes.Status429TooManyRequests, "Rate limit exceeded. Try again later.");
                return;
            }

            await next(context);
        });
        app.MapGet("/", (RequestDelegate)(context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(LandingPage.Html(options.Token is not null));
        }));
        app.MapGet("/health", (RequestDelegate)(context => JsonReply.Status(context, StatusReply.Healthy)));
        app.MapGet("/server_pub_key", (RequestDelegate)(context =>
            JsonReply.WriteAsync(context, StatusCodes.Status200OK, new ServerPubKeyReply(options.ServerPublicKey), KeyServerJsonContext.Relaxed.ServerPubKeyReply)));
        app.MapPost("/register", (RequestDelegate)host.RegisterAsync);

        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException ex)
        {
            throw new ServeException($"the key server cannot listen on {options.Host}:{options.Port}: {ex.Message}. Choose another --key-server-port or stop what uses it");
        }

        host._logger.LogInformation("Key server listening on {Url}{Token}", host.Url, options.Token is null ? "" : " (registration needs the bearer token)");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task RegisterAsync(HttpContext context)
    {
        (int status, string message) = await TryRegisterAsync(context);
        if (status != StatusCodes.Status200OK)
        {
            // Every refusal, with who and why (never the token or the body).
            _logger.LogWarning("Refused registration from {Address}: {Reason} ({Status})", context.Connection.RemoteIpAddress, message, status);
            if (status == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            try
            {
                await JsonReply.Error(context, status, message);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
            {
                // The client is gone (or its request broken beyond answering).
            }

            return;
        }

        await JsonReply.Status(context, StatusReply.Success);
    }

    private async Task<(int Status, string Message)> TryRegisterAsync(HttpContext context)
    {
        if (_token is not null && !HasToken(context.Request))
        {
            return (StatusCodes.Status401Unauthorized, "registration requires the header Authorization: Bearer TOKEN (the server's --key-server-token)");
        }

        if (!IsJson(context.Request.ContentType))
        {
            return (StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json");
        }

        string? keyText;
        try
        {
            // null (a JSON null body) or a request without the field: "Missing client_pub_key" below.
            RegisterRequest? body = await JsonSerializer.DeserializeAsync(context.Request.Body, KeyServerJsonContext.Default.RegisterRequest, context.RequestAborted);
            keyText = body?.ClientPubKey;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (StatusCodes.Status413PayloadTooLarge, $"request body larger than {KeyServerOptions.MaxBodyBytes} bytes");
        }
        catch (BadHttpRequestException ex)
        {
            // A body that arrives too slowly (408), ends early (400)...: the client's fault, not an error of ours.
            return (ex.StatusCode, $"bad request body: {ex.Message}");
        }
        catch (JsonException ex) when (ex.InnerException is InvalidOperationException)
        {
            // A string that is not valid UTF-8 (the reader's transcoding failure, wrapped with its path).
            return (StatusCodes.Status400BadRequest, "Invalid JSON: the body is not valid UTF-8");
        }
        catch (JsonException)
        {
            // Not JSON, or JSON of the wrong shape (an array, client_pub_key not a string).
            return (StatusCodes.Status400BadRequest, "Invalid JSON");
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8, when the serializer passes the reader's exception on as it is.
            return (StatusCodes.Status400BadRequest, "Invalid JSON: the body is not valid UTF-8");
        }

        if (keyText is null)
        {
            return (StatusCodes.Status400BadRequest, "Missing client_pub_key");
        }

        if (!PublicKeyLine.TryParse(keyText, out PublicKeyLine? key, out string error))
        {
            return (StatusCodes.Status400BadRequest, $"Invalid public key: {error}");
        }

        bool added = await _store.AddAsync(key!, context.RequestAborted);
        _logger.LogInformation("{What} {Type} key {Fingerprint} from {Address}", added ? "Registered" : "Already registered:", key!.KeyType,
            SshKeyFormat.Sha256Fingerprint(key.Blob), context.Connection.RemoteIpAddress);
        return (StatusCodes.Status200OK, "");
    }

    private bool HasToken(HttpRequest request)
    {
        string header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim()), _token);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static IPAddress ResolveAddress(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        _ when IPAddress.TryParse(host, out IPAddress? address) => address,
        _ => throw new ServeException($"--key-server-host {host} is not an IP address (use e.g. 127.0.0.1, 0.0.0.0 or ::)"),
    };

    private static X509Certificate2? LoadCertificate(KeyServerOptions options)
    {
        if (options.CertificatePath is null && options.CertificateKeyPath is null)
        {
            return null;
        }

        if (options.CertificatePath is null || options.CertificateKeyPath is null)
        {
            throw new ServeException("TLS needs both --key-server-cert (PEM certificate) and --key-server-cert-key (PEM private key)");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(options.CertificatePath, options.CertificateKeyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ServeException($"cannot load the key server's TLS certificate {options.CertificatePath} with key {options.CertificateKeyPath}: {ex.Message}");
        }
    }
}
