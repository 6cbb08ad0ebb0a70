using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MemberCare.Migrations.Sqlite;

public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MemberCareDb>
{
    public MemberCareDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MemberCareDb>()
            .UseSqlite("Data Source=design.db", o => o.MigrationsAssembly(MigrationAssemblies.Sqlite))
            .Options);
}
