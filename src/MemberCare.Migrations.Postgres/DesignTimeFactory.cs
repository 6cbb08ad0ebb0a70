using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MemberCare.Migrations.Postgres;

public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MemberCareDb>
{
    public MemberCareDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MemberCareDb>()
            .UseNpgsql("Host=localhost;Database=membercare_design", o => o.MigrationsAssembly(MigrationAssemblies.Postgres))
            .Options);
}
