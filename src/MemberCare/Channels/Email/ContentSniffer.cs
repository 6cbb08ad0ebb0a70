using System.Text;

namespace MemberCare.Channels.Email;

/// <summary>The content type an attachment's bytes show, whatever its header claims.</summary>
public static class ContentSniffer
{
    private static readonly (byte[] Magic, int Offset, string Type)[] s_signatures =
    [
        ("%PDF-"u8.ToArray(), 0, "application/pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 0, "image/png"),
        ([0xFF, 0xD8, 0xFF], 0, "image/jpeg"),
        ("GIF87a"u8.ToArray(), 0, "image/gif"),
        ("GIF89a"u8.ToArray(), 0, "image/gif"),
        ("WEBP"u8.ToArray(), 8, "image/webp"),
        ("ftypheic"u8.ToArray(), 4, "image/heic"),
        ("ftypmif1"u8.ToArray(), 4, "image/heif"),
        ("ftypisom"u8.ToArray(), 4, "video/mp4"),
        ("ftypmp42"u8.ToArray(), 4, "video/mp4"),
        ("ftypqt"u8.ToArray(), 4, "video/quicktime"),
        ([0x50, 0x4B, 0x03, 0x04], 0, "application/zip"),
        ([0x1F, 0x8B], 0, "application/gzip"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], 0, "application/x-ole-storage"),
        ("MZ"u8.ToArray(), 0, "application/x-msdownload"),
        ([0x7F, 0x45, 0x4C, 0x46], 0, "application/x-elf"),
    ];

    public static string Sniff(ReadOnlySpan<byte> bytes)
    {
        foreach (var (magic, offset, type) in s_signatures)
        {
            if (bytes.Length >= offset + magic.Length && bytes.Slice(offset, magic.Length).SequenceEqual(magic))
            {
                return type;
            }
        }
        return LooksLikeText(bytes) ? "text/plain" : "application/octet-stream";
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, 8192)];
        if (head.IsEmpty || head.Contains((byte)0))
        {
            return false;
        }
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(head.Length == bytes.Length ? head : TrimPartialCharacter(head));
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>A prefix may end inside a multi-byte character; drop up to three trailing continuation bytes.</summary>
    private static ReadOnlySpan<byte> TrimPartialCharacter(ReadOnlySpan<byte> head)
    {
        var end = head.Length;
        for (var i = 0; i < 3 && end > 0 && (head[end - 1] & 0xC0) == 0x80; i++)
        {
            end--;
        }
        if (end > 0 && (head[end - 1] & 0xC0) == 0xC0)
        {
            end--;
        }
        return head[..end];
    }
}
