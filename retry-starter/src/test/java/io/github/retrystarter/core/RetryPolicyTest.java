package io.github.retrystarter.core;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryPolicyTest {

    private static RetryPolicy.Builder policy() {
        return RetryPolicy.builder("test");
    }

    @Test
    void builtInDefaultsMatchTheDocumentedOnes() {
        RetryPolicy policy = policy().build();

        assertThat(policy.name()).isEqualTo("test");
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.backoff().baseMillis()).isEqualTo(50);
        assertThat(policy.backoff().maxMillis()).isEqualTo(1000);
        assertThat(policy.backoff().multiplier()).isEqualTo(2.0);
        assertThat(policy.backoff().jitter()).isTrue();
        assertThat(policy.retryOn()).isEmpty();
        assertThat(policy.abortOn()).isEmpty();
        assertThat(policy.retryIf()).isNull();
    }

    @Test
    void byDefaultEveryExceptionIsRetried() {
        RetryPolicy policy = policy().build();

        assertThat(policy.isRetryable(new IOException())).isTrue();
        assertThat(policy.isRetryable(new TimeoutException())).isTrue();
        assertThat(policy.isRetryable(new IllegalStateException())).isTrue();
    }

    @Test
    void byDefaultNoErrorIsRetried() {
        RetryPolicy policy = policy().build();

        assertThat(policy.isRetryable(new AssertionError())).isFalse();
        assertThat(policy.isRetryable(new StackOverflowError())).isFalse();
        assertThat(policy.isRetryable(new OutOfMemoryError())).isFalse();
    }

    @Test
    void byDefaultAThrowableThatIsNoExceptionIsNotRetried() {
        assertThat(policy().build().isRetryable(new Throwable())).isFalse();
    }

    @Test
    void retryOnRetriesTheNamedTypesAndTheirSubtypesOnly() {
        RetryPolicy policy = policy().retryOn(List.of(IOException.class)).build();

        assertThat(policy.isRetryable(new IOException())).isTrue();
        assertThat(policy.isRetryable(new FileNotFoundException())).isTrue();
        assertThat(policy.isRetryable(new IllegalStateException())).isFalse();
        assertThat(policy.isRetryable(new Exception())).isFalse();
    }

    @Test
    void abortOnWinsOverRetryOn() {
        RetryPolicy policy = policy().retryOn(List.of(IOException.class))
                .abortOn(List.of(FileNotFoundException.class)).build();

        assertThat(policy.isRetryable(new IOException())).isTrue();
        assertThat(policy.isRetryable(new FileNotFoundException())).isFalse();
    }

    @Test
    void abortOnWinsOverTheDefaultToo() {
        RetryPolicy policy = policy().abortOn(List.of(IllegalArgumentException.class)).build();

        assertThat(policy.isRetryable(new IllegalStateException())).isTrue();
        assertThat(policy.isRetryable(new NumberFormatException())).isFalse();
    }

    @Test
    void anErrorIsRetriedWhenAnErrorTypeIsNamed() {
        RetryPolicy named = policy().retryOn(List.of(AssertionError.class)).build();
        RetryPolicy allErrors = policy().retryOn(List.of(Error.class, IOException.class)).build();

        assertThat(named.isRetryable(new AssertionError())).isTrue();
        assertThat(named.isRetryable(new StackOverflowError())).isFalse();
        assertThat(allErrors.isRetryable(new StackOverflowError())).isTrue();
        assertThat(allErrors.isRetryable(new IOException())).isTrue();
    }

    @Test
    void namingThrowableDoesNotMakeErrorsRetryable() {
        RetryPolicy policy = policy().retryOn(List.of(Throwable.class)).build();

        assertThat(policy.isRetryable(new IOException())).isTrue();
        assertThat(policy.isRetryable(new Throwable())).isTrue();
        assertThat(policy.isRetryable(new AssertionError())).isFalse();
        assertThat(policy.isRetryable(new OutOfMemoryError())).isFalse();
    }

    @Test
    void abortOnStopsANamedErrorType() {
        RetryPolicy policy = policy().retryOn(List.of(Error.class))
                .abortOn(List.of(VirtualMachineError.class)).build();

        assertThat(policy.isRetryable(new AssertionError())).isTrue();
        assertThat(policy.isRetryable(new OutOfMemoryError())).isFalse();
    }

    @Test
    void predicateIsAskedOnlyAfterTypesMatchAndHasTheLastWord() {
        List<Throwable> asked = new ArrayList<>();
        RetryPolicy policy = policy().retryOn(List.of(IOException.class))
                .abortOn(List.of(FileNotFoundException.class))
                .retryIf(error -> {
                    asked.add(error);
                    return "temporary".equals(error.getMessage());
                })
                .build();
        IOException temporary = new IOException("temporary");
        IOException permanent = new IOException("permanent");

        assertThat(policy.isRetryable(new FileNotFoundException("temporary"))).isFalse();
        assertThat(policy.isRetryable(new IllegalStateException("temporary"))).isFalse();
        assertThat(asked).isEmpty();
        assertThat(policy.isRetryable(temporary)).isTrue();
        assertThat(policy.isRetryable(permanent)).isFalse();
        assertThat(asked).containsExactly(temporary, permanent);
    }

    @Test
    void predicateDoesNotMakeAnErrorRetryable() {
        RetryPolicy policy = policy().retryIf(error -> true).build();

        assertThat(policy.isRetryable(new AssertionError())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void fewerThanOneAttemptIsRejected(int attempts) {
        assertThatIllegalArgumentException().isThrownBy(() -> policy().attempts(attempts))
                .withMessageContaining("attempts")
                .withMessageContaining(String.valueOf(attempts));
    }

    @Test
    void oneAttemptIsAllowedAndMeansNoRetry() {
        assertThat(policy().attempts(1).build().maxAttempts()).isEqualTo(1);
    }

    @Test
    void negativeDelaysAreRejectedByTheBuilder() {
        assertThatIllegalArgumentException().isThrownBy(() -> policy().base(-5))
                .withMessageContaining("base").withMessageContaining("-5 ms");
        assertThatIllegalArgumentException().isThrownBy(() -> policy().max(-7))
                .withMessageContaining("max").withMessageContaining("-7 ms");
    }

    @Test
    void maxBelowBaseIsRejectedWhenBuilt() {
        RetryPolicy.Builder builder = policy().base(500).max(100);

        assertThatIllegalArgumentException().isThrownBy(builder::build)
                .withMessageContaining("max").withMessageContaining("100 ms")
                .withMessageContaining("500 ms");
    }

    @Test
    void multiplierBelowOneIsRejectedByTheBuilder() {
        assertThatIllegalArgumentException().isThrownBy(() -> policy().multiplier(0.5))
                .withMessageContaining("multiplier").withMessageContaining("0.5");
        assertThatIllegalArgumentException().isThrownBy(() -> policy().multiplier(Double.NaN))
                .withMessageContaining("multiplier").withMessageContaining("NaN");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void typeListsMustHoldThrowableTypes() {
        List notThrowable = List.of(String.class);
        List<Class<? extends Throwable>> withNull = new ArrayList<>();
        withNull.add(null);

        assertThatIllegalArgumentException().isThrownBy(() -> policy().retryOn(notThrowable))
                .withMessageContaining("retryOn").withMessageContaining("java.lang.String");
        assertThatIllegalArgumentException().isThrownBy(() -> policy().abortOn(withNull))
                .withMessageContaining("abortOn");
    }

    @Test
    void typeListsAreCopied() {
        List<Class<? extends Throwable>> types = new ArrayList<>(List.of(IOException.class));
        RetryPolicy policy = policy().retryOn(types).build();
        types.add(IllegalStateException.class);

        assertThat(policy.retryOn()).containsExactly(IOException.class);
        assertThat(policy.isRetryable(new IllegalStateException())).isFalse();
    }
}
