using System.ComponentModel.DataAnnotations;

namespace MemberCare.Channels.Email;

/// <summary>The care mailbox: where customers write, what replies come from, and how its mail is taken in.</summary>
public sealed class EmailOptions
{
    /// <summary>The care mailbox's address; replies go out From it.</summary>
    public string? Address { get; set; }

    public string DisplayName { get; set; } = "Customer care";

    /// <summary>A raw MIME message larger than this is refused (413) before it is parsed.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>An attachment larger than this is not kept; the message says which file was left out.</summary>
    [Range(0, 100 * 1024 * 1024)]
    public int MaxAttachmentBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>How far back a mail without usable In-Reply-To or References may join a thread by subject and sender.</summary>
    public TimeSpan SubjectThreadWindow { get; set; } = TimeSpan.FromDays(14);

    public ImapOptions Imap { get; set; } = new();
}

/// <summary>IMAP polling; off until Enabled and a host are set.</summary>
public sealed class ImapOptions
{
    public bool Enabled { get; set; }
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    /// <summary>"SslOnConnect" (993), "StartTls" (143) or "None" (a loopback test server only).</summary>
    public string Security { get; set; } = "SslOnConnect";

    public string? User { get; set; }

    /// <summary>The fallback when no password is stored on the channel secrets page.</summary>
    public string? Password { get; set; }

    public string Folder { get; set; } = "INBOX";

    /// <summary>Where processed mail is moved; empty leaves it in the folder, flagged \Seen.</summary>
    public string? MoveTo { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A claim on a UID older than this with no outcome is taken as abandoned by a node that died.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 1000)]
    public int MaxPerPoll { get; set; } = 50;
}
