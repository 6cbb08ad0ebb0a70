namespace MemberCare.Domain.Departments;

/// <summary>A team outside care that can fix the cause of a concern.</summary>
public sealed class Department
{
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
}
