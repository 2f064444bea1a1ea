using System.Numerics;

namespace McpSsh.Ssh.Keys;

/// <summary>
/// The arithmetic checks behind <see cref="PublicKeyLine"/>: an ECDSA point must satisfy its curve's equation
/// y^2 = x^3 - 3x + b (mod p) with both coordinates below p (NIST prime curves have cofactor 1, so that is all
/// a public point needs), and an Ed25519 key must not be the all-zero or identity encoding.
/// </summary>
internal static class PublicKeyMath
{
    private static readonly Dictionary<string, (BigInteger P, BigInteger B)> s_curves = new(StringComparer.Ordinal)
    {
        ["nistp256"] = (Hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
            Hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b")),
        ["nistp384"] = (Hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
            Hex("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef")),
        ["nistp521"] = ((BigInteger.One << 521) - 1,
            Hex("0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00")),
    };

    public static bool IsOnCurve(string curve, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        (BigInteger p, BigInteger b) = s_curves[curve];
        var bx = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        var by = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        if (bx >= p || by >= p)
        {
            return false;
        }

        BigInteger left = BigInteger.ModPow(by, 2, p);
        BigInteger right = ((BigInteger.ModPow(bx, 3, p) - (3 * bx) + b) % p + p) % p;
        return left == right;
    }

    /// <summary>All zero bytes, or the identity point (y = 1): keys no real key pair has.</summary>
    public static bool IsDegenerateEd25519(ReadOnlySpan<byte> point) =>
        !point.ContainsAnyExcept((byte)0) || (point[0] == 1 && !point[1..].ContainsAnyExcept((byte)0));

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
