#include <git2.h>
#include <git2/sys/commit.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one fixed-argument wrapper per option used. */
static inline int sigit_enable_fsync_gitdir(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, enabled);
}

/* Objects of `type` larger than `size` bytes are not kept in libgit2's object cache (0: none of that type). */
static inline int sigit_set_cache_object_limit(git_object_t type, size_t size) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size);
}

/* The most bytes libgit2's object cache holds, per repository handle. */
static inline int sigit_set_cache_max_size(ssize_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, bytes);
}

/* Pack files are read through mapped windows of `size` bytes, at most `limit` bytes mapped at once in the process. */
static inline int sigit_set_mwindow(size_t size, size_t limit) {
    int result = git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, size);
    return result < 0 ? result : git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, limit);
}
