using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace McpSsh.Ssh.Keys;

/// <summary>
/// One OpenSSH public key line, <c>TYPE BASE64 [comment]</c>, checked for real: the blob must parse as the
/// key type it claims and be a usable key (ed25519: 32 bytes, not the all-zero or identity point; ecdsa: an
/// uncompressed point on its curve; rsa: an odd exponent of at least 3, an odd modulus of 2048 to 8192 bits).
/// Used by the key server to accept registrations and by the client to read a served host key.
/// </summary>
public sealed record PublicKeyLine(string KeyType, byte[] Blob, string Comment, int Bits)
{
    public const int MinRsaBits = 2048;

    /// <summary>OpenSSH's own limit (SSHBUF_MAX_BIGNUM): larger moduli cost the server time for nothing.</summary>
    public const int MaxRsaBits = 8192;

    /// <summary>The line without its comment: what authorized_keys and known_hosts entries hold.</summary>
    public string TypeAndKey => $"{KeyType} {Convert.ToBase64String(Blob)}";

    public static bool TryParse(string? text, out PublicKeyLine? key, out string error)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the key is empty";
            return false;
        }

        if (text.Any(c => char.IsControl(c) && c != '\t') || text.Length > 8192)
        {
            error = "a public key is one line of printable text";
            return false;
        }

        string[] fields = text.Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2)
        {
            error = "expected \"TYPE BASE64 [comment]\", e.g. the content of id_ed25519.pub";
            return false;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(fields[1]);
        }
        catch (FormatException)
        {
            error = "the key data is not base64";
            return false;
        }

        if (!TryCheckBlob(fields[0], blob, out int bits, out error))
        {
            return false;
        }

        key = new PublicKeyLine(fields[0], blob, fields.Length > 2 ? fields[2].Trim() : "", bits);
        return true;
    }

    private static bool TryCheckBlob(string type, byte[] blob, out int bits, out string error)
    {
        bits = 0;
        var reader = new BlobReader(blob);
        if (!reader.TryString(out byte[] inner) || Encoding.ASCII.GetString(inner) != type)
        {
            error = $"the key data is not a {type} key";
            return false;
        }

        switch (type)
        {
            case "ssh-ed25519":
                bits = 256;
                error = !reader.TryString(out byte[] point) || point.Length != 32 || !reader.AtEnd ? "malformed ssh-ed25519 key"
                    : PublicKeyMath.IsDegenerateEd25519(point) ? "not a usable ssh-ed25519 key (the all-zero or identity point)"
                    : "";
                break;
            case "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521":
                string curve = type["ecdsa-sha2-".Length..];
                int coordinate = curve switch { "nistp256" => 32, "nistp384" => 48, _ => 66 };
                bits = curve switch { "nistp256" => 256, "nistp384" => 384, _ => 521 };
                error = !(reader.TryString(out byte[] name) && Encoding.ASCII.GetString(name) == curve
                    && reader.TryString(out byte[] q) && q.Length == 1 + (2 * coordinate) && q[0] == 4 && reader.AtEnd)
                    ? $"malformed {type} key"
                    : !PublicKeyMath.IsOnCurve(curve, q.AsSpan(1, coordinate), q.AsSpan(1 + coordinate)) ? $"the {type} key's point is not on the curve"
                    : "";
                break;
            case "ssh-rsa":
                if (!reader.TryString(out byte[] e) || !reader.TryString(out byte[] n) || !reader.AtEnd || e.Length == 0 || n.Length == 0)
                {
                    error = "malformed ssh-rsa key";
                    break;
                }

                var exponent = new BigInteger(e, isUnsigned: true, isBigEndian: true);
                var modulus = new BigInteger(n, isUnsigned: true, isBigEndian: true);
                bits = (int)modulus.GetBitLength();
                error = bits < MinRsaBits ? $"RSA keys must have at least {MinRsaBits} bits (this one has {bits}); an Ed25519 key is better still"
                    : bits > MaxRsaBits ? $"RSA keys may have at most {MaxRsaBits} bits (this one has {bits})"
                    : exponent < 3 || exponent.IsEven || exponent >= modulus ? "the ssh-rsa key's public exponent is not an odd number of at least 3"
                    : modulus.IsEven ? "the ssh-rsa key's modulus is even"
                    : "";
                break;
            default:
                error = $"key type {type} is not accepted (use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of at least {MinRsaBits} bits)";
                break;
        }

        return error.Length == 0;
    }

    /// <summary>Reads SSH wire strings (uint32 length + bytes).</summary>
    private ref struct BlobReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool TryString(out byte[] value)
        {
            value = [];
            if (_rest.Length < 4)
            {
                return false;
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            if (length > (uint)(_rest.Length - 4))
            {
                return false;
            }

            value = _rest.Slice(4, (int)length).ToArray();
            _rest = _rest[(4 + (int)length)..];
            return true;
        }
    }
}
