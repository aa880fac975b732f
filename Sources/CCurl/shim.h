#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
   one fixed-argument wrapper per argument type used by the Delivery target. */

typedef size_t (*sigit_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
typedef int (*sigit_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);

static inline CURLcode sigit_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLcode sigit_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sigit_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sigit_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sigit_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sigit_curl_setopt_callback(CURL *handle, CURLoption option, sigit_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sigit_curl_setopt_debug_callback(CURL *handle, sigit_curl_debug_callback value) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, value);
}

static inline CURLcode sigit_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode sigit_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
