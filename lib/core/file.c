// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading a file a user names (a BPF object): exactly once, from one fd,
 * refusing anything that is not a regular file of sane size before reading
 * a byte. The fd is opened O_NONBLOCK so a FIFO or a device node cannot
 * block the open; fstat on that same fd decides, so a rename between check
 * and read cannot swap the file. Whatever is hashed, checked and loaded is
 * this one buffer: the recorded sha256 always describes what was loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "xctl_priv.h"
#include "core_priv.h"

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static int read_all(int fd, const char *path, void *buf, size_t size,
		    struct xctl_err *err)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, (char *)buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return xctl_errf(err, errno, "cannot read %s", path);
		if (!n) {
			int r = xctl_errf(err, EIO, "cannot read %s", path);

			xctl_err_why(err, "it shrank while being read");
			return r;
		}
		done += n;
	}
	return 0;
}

int xctl_file_read(const char *path, size_t max, struct xctl_file *f,
		   struct xctl_err *err)
{
	struct stat st;
	int fd, r = 0;

	memset(f, 0, sizeof(*f));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		r = xctl_errf(err, errno, "cannot open %s", path);
		if (-r == EACCES || -r == EPERM) {
			xctl_err_why(err, "permission denied by the file's mode, a directory "
				     "on its path, or a security module");
			xctl_err_hint(err, "check who may read %s (ls -l, and any LSM policy)", path);
		}
		return r;
	}
	if (fstat(fd, &st)) {
		r = xctl_errf(err, errno, "cannot open %s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = xctl_errf(err, S_ISDIR(st.st_mode) ? EISDIR : EINVAL, "cannot open %s", path);
		xctl_err_why(err, "it is %s, not a regular file", file_kind(st.st_mode));
		goto out;
	}
	if (st.st_size < 0 || (unsigned long long)st.st_size > max) {
		r = xctl_errf(err, EFBIG, "cannot open %s", path);
		xctl_err_why(err, "it is %lld bytes; the limit is %zu", (long long)st.st_size, max);
		goto out;
	}
	f->size = st.st_size;
	f->data = malloc(f->size ? f->size : 1);
	if (!f->data) {
		r = xctl_errf(err, ENOMEM, "cannot read %s", path);
		goto out;
	}
	r = read_all(fd, path, f->data, f->size, err);
	if (!r)
		r = xctl_sha256_hex(f->data, f->size, f->sha256, err);
out:
	close(fd);
	if (r)
		xctl_file_free(f);
	return r;
}

void xctl_file_free(struct xctl_file *f)
{
	free(f->data);
	f->data = NULL;
	f->size = 0;
}

int xctl_sha256_hex(const void *data, size_t size, char hex[65], struct xctl_err *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (!EVP_Digest(data, size, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return xctl_errf(err, EIO, "cannot compute a sha256");
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	return 0;
}
