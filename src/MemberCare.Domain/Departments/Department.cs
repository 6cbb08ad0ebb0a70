using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Departments;

/// <summary>A team outside care that can fix the cause of a concern.</summary>
public sealed class Department
{
    public const int MaxHoursLength = 400;
    public const int MaxHolidaysLength = 4000;

    private Department()
    {
    }

    public Department(string key, string name, string timeZone = "Europe/Oslo")
    {
        Key = key;
        Name = name;
        TimeZone = timeZone;
    }

    public long Id { get; private set; }
    public string Key { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string TimeZone { get; private set; } = "Europe/Oslo";

    /// <summary>Opening hours per weekday in <see cref="BusinessCalendar"/>'s text form.</summary>
    public string BusinessHours { get; private set; } = BusinessCalendar.DefaultHours;

    /// <summary>Closed dates (yyyy-MM-dd, comma separated) in the department's own time zone.</summary>
    public string Holidays { get; private set; } = "";

    /// <summary>Business minutes from a request to its acknowledgement.</summary>
    public int AcknowledgeWithinMinutes { get; private set; } = 120;

    /// <summary>Business minutes from a request to its answer.</summary>
    public int CompleteWithinMinutes { get; private set; } = 960;

    /// <summary>The person who hears about breaches; a staff user id.</summary>
    public string? LeadUserId { get; private set; }

    /// <summary>Where hand-off events go besides the in-app queue (webhook, e-mail or Slack); none means the queue only.</summary>
    public long? DeliveryTargetId { get; private set; }

    /// <summary>Whether members see the customer's name, e-mail and phone with a hand-off.</summary>
    public bool SeesContactDetails { get; private set; }

    /// <summary>Whether members see the whole conversation rather than the words the hand-off quotes.</summary>
    public bool SeesFullHistory { get; private set; }

    /// <summary>SHA-256 of the department's API token, hex; the token itself is shown once and never stored.</summary>
    public string? ApiTokenHash { get; private set; }

    public DateTimeOffset? ApiTokenIssuedAt { get; private set; }

    public BusinessCalendar Calendar => BusinessCalendar.Parse(TimeZone, BusinessHours, Holidays);

    /// <summary>Changes the schedule and the targets; throws ArgumentException naming what is wrong.</summary>
    public void Configure(string name, string timeZone, string businessHours, string holidays, int acknowledgeWithinMinutes, int completeWithinMinutes)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
        {
            throw new ArgumentException("A name is 1 to 100 characters.", nameof(name));
        }
        if (acknowledgeWithinMinutes is < 1 or > 60 * 24 * 30)
        {
            throw new ArgumentException("The acknowledgement target is 1 minute to 30 days of business time.", nameof(acknowledgeWithinMinutes));
        }
        if (completeWithinMinutes < acknowledgeWithinMinutes || completeWithinMinutes > 60 * 24 * 90)
        {
            throw new ArgumentException("The completion target is at least the acknowledgement target and at most 90 days.", nameof(completeWithinMinutes));
        }
        var calendar = BusinessCalendar.Parse(timeZone, businessHours, holidays);
        Name = name.Trim();
        TimeZone = calendar.TimeZone.Id;
        BusinessHours = calendar.HoursText;
        Holidays = calendar.HolidaysText;
        if (BusinessHours.Length > MaxHoursLength || Holidays.Length > MaxHolidaysLength)
        {
            throw new ArgumentException("Too many hours or holidays.", nameof(holidays));
        }
        AcknowledgeWithinMinutes = acknowledgeWithinMinutes;
        CompleteWithinMinutes = completeWithinMinutes;
    }

    public void AppointLead(string? userId) => LeadUserId = string.IsNullOrWhiteSpace(userId) ? null : userId.Trim();

    public void Connect(long? deliveryTargetId) => DeliveryTargetId = deliveryTargetId;

    public void Allow(bool contactDetails, bool fullHistory)
    {
        SeesContactDetails = contactDetails;
        SeesFullHistory = fullHistory;
    }

    public void IssueApiToken(string tokenHash, DateTimeOffset at)
    {
        ApiTokenHash = tokenHash;
        ApiTokenIssuedAt = at.ToUniversalTime();
    }

    public void RevokeApiToken()
    {
        ApiTokenHash = null;
        ApiTokenIssuedAt = null;
    }

    /// <summary>The departments of the product brief, as every new store starts with them.</summary>
    public static IReadOnlyList<Department> Defaults() =>
    [
        new("member_care", "Member care"),
        new("warehouse", "Warehouse pick & pack"),
        new("logistics", "Logistics & delivery"),
        new("returns", "Returns & refunds"),
        new("buying", "Buying & suppliers"),
        new("product_design", "Product & design"),
        new("ecommerce_content", "E-commerce content"),
        new("finance", "Finance"),
        new("web_it", "Web & IT"),
    ];

    internal sealed class Mapping : IEntityTypeConfiguration<Department>
    {
        public void Configure(EntityTypeBuilder<Department> department)
        {
            department.Property(d => d.BusinessHours).HasMaxLength(MaxHoursLength);
            department.Property(d => d.Holidays).HasMaxLength(MaxHolidaysLength);
            department.Property(d => d.LeadUserId).HasMaxLength(64);
            department.Property(d => d.ApiTokenHash).HasMaxLength(64);
            department.HasIndex(d => d.ApiTokenHash).IsUnique();
            department.Ignore(d => d.Calendar);
            department.HasOne<Delivery.DeliveryTarget>().WithMany().HasForeignKey(d => d.DeliveryTargetId).OnDelete(DeleteBehavior.SetNull);
        }
    }
}
