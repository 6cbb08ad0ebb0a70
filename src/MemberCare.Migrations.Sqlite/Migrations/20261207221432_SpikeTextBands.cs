using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MemberCare.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpikeTextBands : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SpikeGaps",
                columns: table => new
                {
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    NotedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeGaps", x => x.MessageId);
                });

            migrationBuilder.CreateTable(
                name: "SpikeTextBands",
                columns: table => new
                {
                    Key = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstId = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstSlice = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSlice = table.Column<long>(type: "INTEGER", nullable: false),
                    Hits = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeTextBands", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SpikeTextBands_LastSlice",
                table: "SpikeTextBands",
                column: "LastSlice");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpikeGaps");

            migrationBuilder.DropTable(
                name: "SpikeTextBands");
        }
    }
}
