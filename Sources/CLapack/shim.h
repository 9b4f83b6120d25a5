// The Fortran LAPACK routines Switchyard calls (Debian's liblapack-dev / libopenblas-dev).
#ifndef SWITCHYARD_CLAPACK_SHIM_H
#define SWITCHYARD_CLAPACK_SHIM_H

// Minimum-norm least squares by the SVD (divide and conquer): robust on rank-deficient designs.
void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda,
             double *b, const int *ldb, double *s, const double *rcond, int *rank,
             double *work, const int *lwork, int *iwork, int *info);

// Cholesky factorisation and solve of a symmetric positive definite system.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info);
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info);

// Symmetric rank-k update C := alpha*A**T*A + beta*C with C in Rectangular Full Packed format
// (level-3 BLAS inside), and the conversion of an RFP matrix to standard full storage. Used to
// stream XᵀX block by block without linking the BLAS directly.
void dsfrk_(const char *transr, const char *uplo, const char *trans, const int *n, const int *k,
            const double *alpha, const double *a, const int *lda, const double *beta, double *c);
void dtfttr_(const char *transr, const char *uplo, const int *n, const double *arf, double *a,
             const int *lda, int *info);

#endif
