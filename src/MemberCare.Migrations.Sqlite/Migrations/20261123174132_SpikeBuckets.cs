using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MemberCare.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpikeBuckets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpikeHits");

            migrationBuilder.DropColumn(
                name: "BucketCount",
                table: "SpikeBaselines");

            migrationBuilder.DropColumn(
                name: "PreviousBucketCount",
                table: "SpikeBaselines");

            migrationBuilder.AddColumn<long>(
                name: "ClosedThrough",
                table: "SpikeCursors",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OwnerDepartment",
                table: "Defects",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SpikeBuckets",
                columns: table => new
                {
                    Signature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SliceStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    MessageIds = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeBuckets", x => new { x.Signature, x.SliceStart });
                });

            migrationBuilder.UpdateData(
                table: "SpikeCursors",
                keyColumn: "Id",
                keyValue: 1,
                column: "ClosedThrough",
                value: null);

            migrationBuilder.CreateIndex(
                name: "IX_SpikeBuckets_SliceStart",
                table: "SpikeBuckets",
                column: "SliceStart");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpikeBuckets");

            migrationBuilder.DropColumn(
                name: "ClosedThrough",
                table: "SpikeCursors");

            migrationBuilder.DropColumn(
                name: "OwnerDepartment",
                table: "Defects");

            migrationBuilder.AddColumn<int>(
                name: "BucketCount",
                table: "SpikeBaselines",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PreviousBucketCount",
                table: "SpikeBaselines",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "SpikeHits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpikeHits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SpikeHits_Messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "Messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SpikeHits_At",
                table: "SpikeHits",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_SpikeHits_MessageId",
                table: "SpikeHits",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_SpikeHits_Signature_At",
                table: "SpikeHits",
                columns: new[] { "Signature", "At" });
        }
    }
}
