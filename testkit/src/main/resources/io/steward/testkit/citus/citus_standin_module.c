/*
 * Steward test kit: the empty shared library of the Citus stand-in, so that
 * shared_preload_libraries = 'citus' starts PostgreSQL as it does with real Citus.
 * It only carries PostgreSQL's module magic block (PG_MODULE_MAGIC), spelled out
 * so that no server headers are needed; the major version comes from -DPG_MAJOR.
 */
typedef struct
{
	int			len;
	int			version;
	int			funcmaxargs;
	int			indexmaxkeys;
	int			namedatalen;
	int			float8byval;
	char		abi_extra[32];
} Pg_magic_struct;

__attribute__((visibility("default")))
const Pg_magic_struct *
Pg_magic_func(void)
{
	static const Pg_magic_struct magic = {
		sizeof(Pg_magic_struct), PG_MAJOR * 100, 100, 32, 64, 1, "PostgreSQL"
	};
	return &magic;
}
