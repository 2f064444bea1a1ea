using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace McpSsh.Tests.Common;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (a random port), plain or TLS with a self-signed (untrusted) certificate.
/// It records every request (method, path, whether an Authorization header came) and answers each with what
/// <see cref="Respond"/> writes; one request per connection.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LoopbackHttpServer(bool tls = false)
    {
        _certificate = tls ? SelfSigned() : null;
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public sealed record Request(string Method, string Path, string? Authorization);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>Completes once a connection was accepted (TLS handshake attempted or not).</summary>
    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Writes the answer to a request (default: 200 with a JSON server_pub_key).</summary>
    public Func<Request, Stream, CancellationToken, Task> Respond { get; set; } = (_, stream, token) => WriteAsync(stream, 200, """{"server_pub_key":"ssh-ed25519 AAAA"}""", token);

    /// <summary>Bytes of body the last <see cref="StreamBodyAsync"/> managed to write before the client went away.</summary>
    public long BodyBytesWritten;

    /// <summary>Completes when a streamed body ended because the client closed the connection.</summary>
    public TaskCompletionSource ClientHungUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task WriteAsync(Stream stream, int status, string json, CancellationToken token)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        string head = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), token);
        await stream.WriteAsync(body, token);
    }

    /// <summary>A 200 with a body of <paramref name="size"/> bytes ('a' inside a JSON string), announced or chunked.</summary>
    public async Task StreamBodyAsync(Stream stream, long size, bool announceLength, CancellationToken token)
    {
        string head = announceLength
            ? $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        byte[] chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'a');
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), token);
            for (long written = 0; written < size; written += chunk.Length)
            {
                if (!announceLength)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), token);
                }

                await stream.WriteAsync(chunk, token);
                if (!announceLength)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), token);
                }

                Interlocked.Add(ref BodyBytesWritten, chunk.Length);
            }
        }
        catch (IOException)
        {
            ClientHungUp.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopped.
        }

        _certificate?.Dispose();
        _stop.Dispose();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Connected.TrySetResult();
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }

                await using (stream)
                {
                    Request? request = await ReadRequestAsync(stream, _stop.Token);
                    if (request is not null)
                    {
                        Requests.Enqueue(request);
                        await Respond(request, stream, _stop.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or refused our certificate.
            }
        }
    }

    private static async Task<Request?> ReadRequestAsync(Stream stream, CancellationToken token)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, token) == 0 || head.Count > 64 * 1024)
            {
                return null;
            }

            head.Add(one[0]);
        }

        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n");
        string[] first = lines[0].Split(' ');
        string? authorization = null;
        int contentLength = 0;
        foreach (string line in lines[1..])
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            string name = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorization = value;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        byte[] body = new byte[contentLength];
        await stream.ReadExactlyAsync(body, token);
        return new Request(first[0], first[1], authorization);
    }
}
