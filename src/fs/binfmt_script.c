/* binfmt_script.c — programs that start with "#!" (fs/binfmt_script.c).
 *
 * A script names its interpreter, and at most one argument for it, on its
 * first line. The exec goes on with the interpreter as the program: the
 * script's argv[0] is dropped from the new stack and replaced by the
 * interpreter's name, its argument if there is one, and the script's
 * path, so that the interpreter finds the script as its last argument —
 * "#!/bin/sh -e" run as "x.sh a b" becomes "/bin/sh -e x.sh a b". */
#include <string.h>

#include "fs/binfmts.h"
#include "fs/fs.h"
#include "mm.h"

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first byte at or after @p (before @end) that is not a space or tab. */
static const char *next_non_spacetab(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!spacetab(*p))
			return p;
	return NULL;
}

/* The first space, tab or NUL at or after @p (before @end). */
static const char *next_terminator(const char *p, const char *end)
{
	for (; p < end; p++)
		if (spacetab(*p) || !*p)
			return p;
	return NULL;
}

int load_script(struct machine *m, struct linux_binprm *bprm)
{
	char line[BINPRM_BUF_SIZE + 1];
	const char *buf_end, *i_end, *i_name, *i_arg = NULL;
	char name[BINPRM_BUF_SIZE], arg[BINPRM_BUF_SIZE];

	if (bprm->buf_len < 2 || bprm->buf[0] != '#' || bprm->buf[1] != '!')
		return -MMSIM_ENOEXEC;
	memset(line, 0, sizeof(line));
	memcpy(line, bprm->buf, bprm->buf_len);
	buf_end = line + BINPRM_BUF_SIZE - 1;
	i_end = memchr(line, '\n', BINPRM_BUF_SIZE);
	if (!i_end) {
		/* No newline in the first 256 bytes: the name must end inside them. */
		i_end = next_non_spacetab(line + 2, buf_end);
		if (!i_end || !next_terminator(i_end, buf_end)) {
			bprm->why = "the #! line does not end within its first 256 bytes";
			return -MMSIM_ENOEXEC;
		}
		i_end = buf_end;
	}
	/* Trailing white space goes, then leading. */
	while (i_end > line + 2 && spacetab(i_end[-1]))
		i_end--;
	i_name = next_non_spacetab(line + 2, i_end);
	if (!i_name || i_name == i_end) {
		bprm->why = "the #! line names no interpreter";
		return -MMSIM_ENOEXEC;
	}
	const char *name_end = next_terminator(i_name, i_end);
	if (!name_end)
		name_end = i_end;
	memcpy(name, i_name, (size_t)(name_end - i_name));
	name[name_end - i_name] = '\0';
	i_arg = next_non_spacetab(name_end, i_end);
	if (i_arg) {
		memcpy(arg, i_arg, (size_t)(i_end - i_arg));
		arg[i_end - i_arg] = '\0';
	}

	/* argv[0] gives way to the interpreter, its argument and the script's path. */
	int err = bprm_remove_arg_zero(m, bprm);
	if (err)
		return err;
	if ((err = bprm_push_string(m, bprm, bprm->interp)))
		return err;
	bprm->argc++;
	if (i_arg) {
		if ((err = bprm_push_string(m, bprm, arg)))
			return err;
		bprm->argc++;
	}
	if ((err = bprm_push_string(m, bprm, name)))
		return err;
	bprm->argc++;
	/* bprm_change_interp() + open_exec(): the interpreter is the program now. */
	memcpy(bprm->interp_buf, name, sizeof(bprm->interp_buf));
	bprm->interp = bprm->interp_buf;
	struct file *file = open_exec(m, name, &err);
	if (!file) {
		bprm->why = "the #! line's interpreter cannot be opened";
		return err;
	}
	bprm->interpreter = file;
	return 0;
}
