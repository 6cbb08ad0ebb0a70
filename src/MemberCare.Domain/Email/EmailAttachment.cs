using MemberCare.Domain.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Email;

/// <summary>A file that came with an e-mail. The content type is read from the bytes; the sender's claim is kept beside it.</summary>
public sealed class EmailAttachment
{
    private EmailAttachment()
    {
    }

    public long Id { get; private set; }
    public long MessageId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public string? DeclaredContentType { get; private set; }
    public long Size { get; private set; }
    public string Sha256 { get; private set; } = "";
    public byte[] Content { get; private set; } = [];

    public static EmailAttachment Create(long messageId, string fileName, string contentType, string? declaredContentType, byte[] content, string sha256) => new()
    {
        MessageId = messageId,
        FileName = fileName.Length > 255 ? fileName[..255] : fileName,
        ContentType = contentType,
        DeclaredContentType = declaredContentType is { Length: > 100 } ? declaredContentType[..100] : declaredContentType,
        Size = content.Length,
        Sha256 = sha256,
        Content = content,
    };

    internal sealed class Mapping : IEntityTypeConfiguration<EmailAttachment>
    {
        public void Configure(EntityTypeBuilder<EmailAttachment> attachment)
        {
            attachment.Property(a => a.FileName).HasMaxLength(255);
            attachment.Property(a => a.ContentType).HasMaxLength(100);
            attachment.Property(a => a.DeclaredContentType).HasMaxLength(100);
            attachment.Property(a => a.Sha256).HasMaxLength(64);
            attachment.HasIndex(a => a.MessageId);
            attachment.HasOne<Message>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
