using System.Security.Cryptography;
using System.Text;

namespace FleetOrchestrator.Mqtt.Mosquitto;

/// <summary>
/// Writes Mosquitto 2's <c>password_file</c> format without needing <c>mosquitto_passwd</c>:
/// <c>user:$7$iterations$base64(salt)$base64(PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes))</c>,
/// a 12-byte salt and 101 iterations, exactly what <c>mosquitto_passwd -b</c> 2.0 writes.
/// </summary>
public static class MosquittoPasswordFile
{
    public const int DefaultIterations = 101;
    private const int SaltLength = 12;
    private const int HashLength = 64;

    /// <summary>One line (without newline) for <paramref name="userName"/>.</summary>
    public static string Line(string userName, string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(password);
        if (userName.Contains(':', StringComparison.Ordinal) || userName.AsSpan().IndexOfAny("\r\n") >= 0)
            throw new ArgumentException($"user name '{userName}' cannot be written to a password file (':' or a line break)", nameof(userName));
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashLength);
        return $"{userName}:$7${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>The whole file for the given users, one line each.</summary>
    public static string Build(IEnumerable<KeyValuePair<string, string>> usersAndPasswords)
    {
        var text = new StringBuilder();
        foreach (var (user, password) in usersAndPasswords) text.Append(Line(user, password)).Append('\n');
        return text.ToString();
    }
}
