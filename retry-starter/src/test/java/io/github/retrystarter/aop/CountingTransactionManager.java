package io.github.retrystarter.aop;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/** A transaction manager that only counts what it is asked to do. */
class CountingTransactionManager extends AbstractPlatformTransactionManager {

    private static final long serialVersionUID = 1L;

    private final AtomicInteger begun = new AtomicInteger();
    private final AtomicInteger committed = new AtomicInteger();
    private final AtomicInteger rolledBack = new AtomicInteger();

    @Override
    protected Object doGetTransaction() {
        return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        begun.incrementAndGet();
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        committed.incrementAndGet();
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        rolledBack.incrementAndGet();
    }

    int begun() {
        return begun.get();
    }

    int rolledBack() {
        return rolledBack.get();
    }
}
